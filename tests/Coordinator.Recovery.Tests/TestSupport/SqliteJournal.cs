using Akka.Actor;
using Akka.Persistence;
using Coordinator.Actors.State;
using Coordinator.Cli.Hosting;
using Microsoft.Data.Sqlite;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests.TestSupport;

/// <summary>
/// Reads every event of a run folder's journal (journal.db, persistence id <c>run-&lt;folder name&gt;</c>)
/// with an ActorSystem configured as the CLI configures its own (AkkaConfig.ForSqlite) and a
/// recover-only persistent actor that ignores snapshots, so it sees all events from the first.
/// </summary>
public static class SqliteJournal
{
    public static IReadOnlyList<IRunEvent> Read(string runFolder)
    {
        var journal = Path.Combine(runFolder, "journal.db");
        Assert.True(File.Exists(journal), $"no journal at {journal}");
        var persistenceId = "run-" + Path.GetFileName(runFolder.TrimEnd(Path.DirectorySeparatorChar));
        var system = ActorSystem.Create("journal-reader", AkkaConfig.ForSqlite(journal, null));
        try
        {
            var replayed = new TaskCompletionSource<IReadOnlyList<IRunEvent>>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new Reader(persistenceId, replayed)), "reader");
            return replayed.Task.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            SqliteConnection.ClearAllPools(); // no handle on journal.db stays open in this process
        }
    }

    /// <summary>The run's state as the supervisor folds it from these events.</summary>
    public static RunState Fold(IEnumerable<IRunEvent> events) => events.Aggregate(RunState.Empty, (s, e) => s.Apply(e));

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
