using Akka.Configuration;
using Coordinator.Actors.Journal;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Testing.Persistence;

/// <summary>A run's events read back from a journal, outside any actor system of the caller's.</summary>
public static class JournalEvents
{
    /// <summary>Every event of <paramref name="persistenceId"/> in the journal <paramref name="journal"/> configures
    /// (an ActorSystem of its own, terminated after): what a later process of the run would recover.</summary>
    public static IReadOnlyList<IRunEvent> Read(Config journal, string persistenceId, TimeSpan? timeout = null)
    {
        try
        {
            return JournalReplay.Read(journal, persistenceId, timeout).Select(r => r.Payload).OfType<IRunEvent>().ToList();
        }
        catch (JournalReplayException e)
        {
            throw new InvalidOperationException(e.Message, e.InnerException);
        }
    }
}
