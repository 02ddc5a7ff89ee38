using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Coordinator.Cli.Hosting;
using Coordinator.Cli.Train;
using Microsoft.Data.Sqlite;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.History;

/// <summary>
/// Reads a run's events back from its journal (<c>journal.db</c> in the run folder), in the order
/// they were persisted, without changing anything in it.
/// </summary>
/// <remarks>
/// An ActorSystem configured as a run's (<see cref="AkkaConfig.ForSqlite"/>) plus a few reader
/// overrides: Akka.Persistence.Sql's read journal (<see cref="SqlReadJournal"/>) on the same file,
/// table creation off, and <see cref="StoredEventSerializer"/> in place of the coordinator
/// serializer so that events this build does not know come back as <see cref="UnrecognizedEvent"/>
/// instead of failing the read. <c>CurrentEventsByPersistenceId</c> is a finite stream: it ends
/// at the newest stored event (a journal still being written is read up to that point).
/// </remarks>
public static class RunJournal
{
    public const string JournalFile = RunFolder.JournalFile;

    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A folder is a run folder when it holds a journal.</summary>
    public static bool IsRunFolder(string folder) => File.Exists(Path.Combine(folder, JournalFile));

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
    public static RunJournalContents Read(string runFolder)
    {
        var folder = Path.GetFullPath(runFolder);
        if (!Directory.Exists(folder))
            throw new HistoryInputError(File.Exists(folder)
                ? $"{runFolder}: is a file, not a run folder"
                : $"{runFolder}: no such folder");
        var journal = Path.Combine(folder, JournalFile);
        if (!File.Exists(journal))
            throw new HistoryInputError($"{runFolder}: not a run folder (no {JournalFile} in it)");

        ActorSystem system;
        try
        {
            system = ActorSystem.Create("coordinator-history", ReaderConfig(journal));
        }
        catch (Exception e)
        {
            throw new HistoryInputError($"{journal}: cannot open the journal: {Innermost(e).Message}", e);
        }
        try
        {
            var materializer = system.Materializer();
            var query = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
            var persistenceId = PersistenceIdFor(folder);
            var envelopes = Wait(query.CurrentEventsByPersistenceId(persistenceId, 0, long.MaxValue)
                .RunWith(Sink.Seq<EventEnvelope>(), materializer));
            if (envelopes.Count == 0)
            {
                var others = Wait(query.CurrentPersistenceIds().RunWith(Sink.Seq<string>(), materializer))
                    .Where(id => id.StartsWith("run-", StringComparison.Ordinal) && id != persistenceId)
                    .ToList();
                if (others.Count == 1)
                {
                    persistenceId = others[0];
                    envelopes = Wait(query.CurrentEventsByPersistenceId(persistenceId, 0, long.MaxValue)
                        .RunWith(Sink.Seq<EventEnvelope>(), materializer));
                }
            }
            return new RunJournalContents(folder, persistenceId, envelopes.OrderBy(e => e.SequenceNr).Select(ToEntry).ToList());
        }
        catch (Exception e) when (e is not HistoryInputError)
        {
            var cause = Innermost(e);
            throw new HistoryInputError(
                cause is SqliteException { SqliteErrorCode: 1 } && cause.Message.Contains("no such table", StringComparison.Ordinal)
                    ? $"{journal}: cannot read the journal: it has no journal table (nothing was ever stored in it)"
                    : $"{journal}: cannot read the journal: {cause.Message}", e);
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>The reading system's configuration: the run's (<see cref="AkkaConfig.ForSqlite"/>)
    /// with the read journal pointed at the same file, no table creation, no log output (failures
    /// surface as exceptions) and the tolerant serializer.</summary>
    internal static Config ReaderConfig(string journalFile)
    {
        var connection = Quote($"Data Source={journalFile}");
        var overrides = ConfigurationFactory.ParseString($$"""
            akka.loglevel = OFF
            akka.stdout-loglevel = OFF
            akka.log-dead-letters = 0
            akka.persistence.journal.sql.auto-initialize = off
            akka.persistence.snapshot-store.sql.auto-initialize = off
            akka.persistence.query.journal.sql {
              write-plugin = "akka.persistence.journal.sql"
              provider-name = "SQLite.MS"
              connection-string = {{connection}}
            }
            {{StoredEventSerializer.Hocon}}
            """);
        return overrides.WithFallback(AkkaConfig.ForSqlite(journalFile, null));
    }

    private static JournalEntry ToEntry(EventEnvelope envelope)
    {
        var recorded = envelope.Timestamp > 0 && envelope.Timestamp <= DateTime.MaxValue.Ticks
            ? new DateTimeOffset(envelope.Timestamp, TimeSpan.Zero)
            : (DateTimeOffset?)null;
        return envelope.Event switch
        {
            StoredEvent { Event: { } e } s => new JournalEntry(envelope.SequenceNr, recorded, s.Manifest, s.Json, e),
            StoredEvent s => new JournalEntry(envelope.SequenceNr, recorded, s.Manifest, s.Json,
                new UnrecognizedEvent(s.Manifest, s.Problem ?? "not decoded")),
            IRunEvent e => new JournalEntry(envelope.SequenceNr, recorded, "", "", e),
            var other => new JournalEntry(envelope.SequenceNr, recorded, other?.GetType().Name ?? "null", "",
                new UnrecognizedEvent(other?.GetType().FullName ?? "null", "not written by the coordinator's serializer")),
        };
    }

    private static T Wait<T>(Task<T> task) =>
        task.WaitAsync(ReadTimeout).GetAwaiter().GetResult();

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static Exception Innermost(Exception e)
    {
        while (e is AggregateException { InnerException: { } inner }) e = inner;
        while (e.InnerException is { } inner && e is TypeInitializationException or System.Reflection.TargetInvocationException or ConfigurationException)
            e = inner;
        return e;
    }
}
