using Coordinator.Testing.Persistence;
using Coordinator.Actors.State;
using Coordinator.Cli.Hosting;
using Microsoft.Data.Sqlite;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests.TestSupport;

/// <summary>
/// Reads every event of a run folder's journal (journal.db, persistence id <c>run-&lt;folder name&gt;</c>)
/// with an ActorSystem configured as the CLI configures its own (AkkaConfig.ForSqlite) and the
/// recover-only EventReader, which ignores snapshots, so it sees all events from the first.
/// </summary>
public static class SqliteJournal
{
    /// <param name="runId">The run's id when it is not the folder's name (a renamed or copied folder).</param>
    public static IReadOnlyList<IRunEvent> Read(string runFolder, string? runId = null)
    {
        var journal = Path.Combine(runFolder, "journal.db");
        Assert.True(File.Exists(journal), $"no journal at {journal}");
        var persistenceId = "run-" + (runId ?? Path.GetFileName(runFolder.TrimEnd(Path.DirectorySeparatorChar)));
        try
        {
            return JournalEvents.Read(AkkaConfig.ForSqlite(journal, null), persistenceId, TimeSpan.FromSeconds(30));
        }
        finally
        {
            SqliteConnection.ClearAllPools(); // no handle on journal.db stays open in this process
        }
    }

    /// <summary>The run's state as the supervisor folds it from these events.</summary>
    public static RunState Fold(IEnumerable<IRunEvent> events) => events.Aggregate(RunState.Empty, (s, e) => s.Apply(e));
}
