using Akka.Actor;
using Akka.Configuration;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Testing.Persistence;

/// <summary>A run's events read back from a journal, outside any actor system of the caller's.</summary>
public static class JournalEvents
{
    /// <summary>Every event of <paramref name="persistenceId"/> in the journal <paramref name="journal"/> configures
    /// (an ActorSystem of its own, terminated after): what a later process of the run would recover.</summary>
    public static IReadOnlyList<IRunEvent> Read(Config journal, string persistenceId, TimeSpan? timeout = null)
    {
        var system = ActorSystem.Create("event-reader", journal);
        try
        {
            var result = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            var inbox = system.ActorOf(Akka.Actor.Props.Create(() => new Relay(result)));
            system.ActorOf(EventReader.Props(persistenceId, inbox));
            return result.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60)).GetAwaiter().GetResult() switch
            {
                EventReader.Replayed r => r.Events,
                EventReader.ReplayFailed f => throw new InvalidOperationException($"replaying {f.PersistenceId} failed: {f.Cause.Message}", f.Cause),
                var other => throw new InvalidOperationException($"unexpected reply {other}"),
            };
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    private sealed class Relay : ReceiveActor
    {
        public Relay(TaskCompletionSource<object> result) => ReceiveAny(m => result.TrySetResult(m));
    }
}
