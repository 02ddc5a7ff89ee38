using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Coordinator.Actors.Journal;
using Coordinator.Actors.State;
using Coordinator.Cli.Hosting;
using Microsoft.Data.Sqlite;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.History;

/// <summary>
/// Reads a run's events back from its journal, in the order they were persisted, without changing anything
/// in it: <c>journal.db</c> in the run folder (a run of <c>train</c>), or the PostgreSQL database of a cluster
/// run (given with <c>--journal</c>, or named, without its password, by the folder's <c>journal.json</c>).
/// </summary>
/// <remarks>
/// An ActorSystem of its own on the run's journal (Akka.Persistence.Sql, table creation off, no other settings
/// needed: no hocon file is read), replayed by <see cref="JournalReplayer"/> with <see cref="StoredEventSerializer"/>
/// in place of the coordinator serializer, so that events this build does not know come back as
/// <see cref="UnrecognizedEvent"/> instead of failing the read. A replay ends at the newest stored event (a journal
/// still being written is read up to that point). Akka.Persistence.Sql's read journal (<see cref="SqlReadJournal"/>)
/// lists the persistence ids when the folder was renamed.
/// </remarks>
public static class RunJournal
{
    public const string JournalFile = RunPaths.JournalFile;

    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A folder is a run folder when it holds a journal, or names its cluster journal (journal.json).</summary>
    public static bool IsRunFolder(string folder) => File.Exists(Path.Combine(folder, JournalFile)) || ClusterJournalFile.ExistsIn(folder);

    /// <summary>The run id is the run folder's name; the supervisor persists as <c>run-&lt;run id&gt;</c>.</summary>
    public static string RunIdOf(string runFolder) =>
        Path.GetFileName(Path.GetFullPath(runFolder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));

    public static string PersistenceIdFor(string runFolder) => "run-" + RunIdOf(runFolder);

    /// <summary>The run's events. Throws <see cref="HistoryInputError"/> (naming the path) when the
    /// folder is missing, is not a run folder, or its journal cannot be read.</summary>
    public static IReadOnlyList<IRunEvent> ReadEvents(string runFolder) => Read(runFolder).Events;

    /// <summary>
    /// The run's journal entries. Looks for <c>run-&lt;folder name&gt;</c>; when that has no events
    /// and the journal holds exactly one other <c>run-*</c> persistence id (the folder was renamed),
    /// reads that one instead.
    /// </summary>
    /// <param name="journalConnection">A PostgreSQL connection string (<c>--journal</c>): read the run from that
    /// database, whatever the folder holds.</param>
    public static RunJournalContents Read(string runFolder, string? journalConnection = null)
    {
        var folder = Path.GetFullPath(runFolder);
        if (!Directory.Exists(folder))
            throw new HistoryInputError(File.Exists(folder)
                ? $"{runFolder}: is a file, not a run folder"
                : $"{runFolder}: no such folder");
        if (journalConnection is not null)
            return ReadPostgreSql(folder, journalConnection, PersistenceIdFor(folder), "--journal");
        var journal = Path.Combine(folder, JournalFile);
        if (!File.Exists(journal))
        {
            if (!ClusterJournalFile.ExistsIn(folder))
                throw new HistoryInputError($"{runFolder}: not a run folder (no {JournalFile} in it); a cluster run's journal is in " +
                                            $"PostgreSQL: its folder has a {ClusterJournalFile.FileName}, or give it with --journal \"Host=...;Database=...\"");
            var record = ClusterJournalFile.ReadFrom(folder);
            var recorded = ClusterJournalFile.PathIn(folder);
            return ReadPostgreSql(folder, record.Connection ?? throw new HistoryInputError(
                $"{recorded}: records no connection string; give the journal with --journal \"Host=...;Database=...\""), record.PersistenceId, recorded);
        }
        if (SqliteJournalCheck.Problem(journal) is { } problem)
            throw new HistoryInputError($"{journal} {problem}");
        return ReadWith(ReaderConfig(journal), folder, PersistenceIdFor(folder), journal, renamedFallback: true);
    }

    // A cluster journal holds every run of the database, so there is no "the one other run" to fall back on.
    private static RunJournalContents ReadPostgreSql(string folder, string connection, string persistenceId, string from)
    {
        var shown = $"the PostgreSQL journal {ClusterJournalFile.WithoutSecrets(connection) ?? "(a connection string that does not parse)"} (from {from})";
        var contents = ReadWith(PostgreSqlReaderConfig(connection), folder, persistenceId, shown, renamedFallback: false);
        if (contents.Entries.Count == 0)
            throw new HistoryInputError($"{shown}: holds no events of {persistenceId}");
        return contents;
    }

    private static RunJournalContents ReadWith(Config config, string folder, string persistenceId, string journal, bool renamedFallback)
    {
        ActorSystem system;
        try
        {
            system = ActorSystem.Create("coordinator-history", config);
        }
        catch (Exception e)
        {
            throw new HistoryInputError($"{journal}: cannot open the journal: {Innermost(e).Message}", e);
        }
        try
        {
            var records = Wait(JournalReplay.ReplayAsync(system, persistenceId, timeout: ReadTimeout));
            if (records.Count == 0 && renamedFallback)
            {
                var query = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
                var others = Wait(query.CurrentPersistenceIds().RunWith(Sink.Seq<string>(), system.Materializer()))
                    .Where(id => id.StartsWith("run-", StringComparison.Ordinal) && id != persistenceId)
                    .ToList();
                if (others.Count == 1)
                {
                    persistenceId = others[0];
                    records = Wait(JournalReplay.ReplayAsync(system, persistenceId, timeout: ReadTimeout));
                }
            }
            return new RunJournalContents(folder, persistenceId, records.Select(ToEntry).ToList());
        }
        catch (Exception e) when (e is not HistoryInputError)
        {
            var cause = Innermost(e);
            throw new HistoryInputError(
                cause is SqliteException { SqliteErrorCode: 1 } && cause.Message.Contains("no such table", StringComparison.Ordinal)
                    ? $"{journal}: cannot read the journal: it has no journal table (nothing was ever stored in it)"
                    : $"{journal}: cannot read the journal: {cause.Message}" + PasswordHint(cause), e);
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>The reading system's configuration for a run's SQLite journal.</summary>
    internal static Config ReaderConfig(string journalFile) => ReaderConfig("SQLite.MS", $"Data Source={journalFile}");

    /// <summary>The same for a cluster run's PostgreSQL journal (the provider a node's hocon/cluster.conf selects).</summary>
    internal static Config PostgreSqlReaderConfig(string connectionString) => ReaderConfig("PostgreSQL.15", connectionString);

    /// <summary>The journal (no table creation), the read journal on the same database for the persistence ids,
    /// no log output (failures surface as exceptions) and the tolerant serializer.</summary>
    private static Config ReaderConfig(string provider, string connectionString)
    {
        var connection = Quote(connectionString);
        return ConfigurationFactory.ParseString($$"""
            akka.loglevel = OFF
            akka.stdout-loglevel = OFF
            akka.log-dead-letters = 0
            akka.actor.provider = local
            akka.persistence.journal.plugin = "akka.persistence.journal.sql"
            akka.persistence.journal.sql {
              provider-name = "{{provider}}"
              connection-string = {{connection}}
              auto-initialize = off
            }
            akka.persistence.query.journal.sql {
              write-plugin = "akka.persistence.journal.sql"
              provider-name = "{{provider}}"
              connection-string = {{connection}}
            }
            {{StoredEventSerializer.Hocon}}
            """).WithFallback(SqlPersistence.DefaultConfiguration);
    }

    // journal.json never holds a password: say where one can come from when the server asks for it.
    private static string PasswordHint(Exception cause) =>
        cause.Message.Contains("password", StringComparison.OrdinalIgnoreCase)
            ? " (journal.json holds no password: set PGPASSWORD, use ~/.pgpass, or give the whole connection string with --journal)"
            : "";

    private static JournalEntry ToEntry(JournalRecord record) => record.Payload switch
    {
        StoredEvent { Event: { } e } s => new JournalEntry(record.SequenceNr, record.StoredAt, s.Manifest, s.Json, e),
        StoredEvent s => new JournalEntry(record.SequenceNr, record.StoredAt, s.Manifest, s.Json,
            new UnrecognizedEvent(s.Manifest, s.Problem ?? "not decoded")),
        IRunEvent e => new JournalEntry(record.SequenceNr, record.StoredAt, "", "", e),
        var other => new JournalEntry(record.SequenceNr, record.StoredAt, other?.GetType().Name ?? "null", "",
            new UnrecognizedEvent(other?.GetType().FullName ?? "null", "not written by the coordinator's serializer")),
    };

    private static T Wait<T>(Task<T> task) =>
        task.WaitAsync(ReadTimeout).GetAwaiter().GetResult();

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static Exception Innermost(Exception e)
    {
        while (e is AggregateException { InnerException: { } inner }) e = inner;
        while (e.InnerException is { } inner && e is TypeInitializationException or System.Reflection.TargetInvocationException or ConfigurationException or JournalReplayException)
            e = inner;
        return e;
    }
}
