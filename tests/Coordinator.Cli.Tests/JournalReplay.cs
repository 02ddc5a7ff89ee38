using Akka.Actor;
using Akka.Persistence;
using Coordinator.Cli.Hosting;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.Tests;

/// <summary>Reads a run's events back from its SQLite journal, as a later process would.</summary>
internal static class JournalReplay
{
    public static IReadOnlyList<IRunEvent> Read(string journalFile, string persistenceId)
    {
        Assert.True(File.Exists(journalFile), $"no journal at {journalFile}");
        var system = ActorSystem.Create("journal-replay", AkkaConfig.ForSqlite(journalFile, null));
        try
        {
            var replayed = new TaskCompletionSource<IReadOnlyList<IRunEvent>>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new Reader(persistenceId, replayed)), "reader");
            return replayed.Task.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Replays a persistence id and hands over its events; fails the task if recovery fails.</summary>
    private sealed class Reader : ReceivePersistentActor
    {
        private readonly List<IRunEvent> _events = [];
        private readonly TaskCompletionSource<IReadOnlyList<IRunEvent>> _replayed;

        public Reader(string persistenceId, TaskCompletionSource<IReadOnlyList<IRunEvent>> replayed)
        {
            (PersistenceId, _replayed) = (persistenceId, replayed);
            Recover<IRunEvent>(_events.Add);
            Recover<RecoveryCompleted>(_ =>
            {
                _replayed.TrySetResult(_events.ToArray());
                Context.Stop(Self);
            });
        }

        public override string PersistenceId { get; }

        // Every event from the first, whatever snapshots the supervisor saved.
        public override Akka.Persistence.Recovery Recovery => new(SnapshotSelectionCriteria.None);

        protected override void OnRecoveryFailure(Exception reason, object? message = null)
        {
            _replayed.TrySetException(new InvalidOperationException($"replaying {PersistenceId} failed: {reason.Message}", reason));
            base.OnRecoveryFailure(reason, message);
        }
    }
}
