using Akka.Actor;
using Akka.Configuration;

namespace Coordinator.Actors.Journal;

/// <summary><see cref="JournalReplayer"/> for code outside an actor.</summary>
public static class JournalReplay
{
    /// <summary>Every stored event of <paramref name="persistenceId"/> in the journal plug-in <paramref name="journalPluginId"/>
    /// of <paramref name="system"/> (null: its default journal); throws <see cref="JournalReplayException"/> when the
    /// journal cannot replay them (or not within <paramref name="timeout"/>).</summary>
    public static async Task<IReadOnlyList<JournalRecord>> ReplayAsync(ActorSystem system, string persistenceId, string? journalPluginId = null, TimeSpan? timeout = null)
    {
        var outcome = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(JournalReplayer.Props(persistenceId, m => outcome.TrySetResult(m), journalPluginId, timeout));
        return await outcome.Task.ConfigureAwait(false) switch
        {
            JournalReplayer.Replayed r => r.Records,
            JournalReplayer.ReplayFailed f => throw new JournalReplayException(f.PersistenceId, f.Cause),
            var other => throw new InvalidOperationException($"unexpected reply {other}"),
        };
    }

    /// <summary>The same from an ActorSystem of its own on <paramref name="config"/> (which selects the journal and
    /// binds the serializer), terminated after.</summary>
    public static IReadOnlyList<JournalRecord> Read(Config config, string persistenceId, TimeSpan? timeout = null)
    {
        var system = ActorSystem.Create("journal-replay", config);
        try
        {
            return ReplayAsync(system, persistenceId, timeout: timeout).GetAwaiter().GetResult();
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }
}
