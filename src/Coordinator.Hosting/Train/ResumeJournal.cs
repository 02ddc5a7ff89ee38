using Akka.Actor;
using Akka.Configuration;
using Coordinator.Cli.Hosting;
using Coordinator.Configuration;
using Microsoft.Data.Sqlite;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.Train;

/// <summary>
/// A run's <c>journal.db</c> read directly with SQLite, for the checks a resume makes before anything runs:
/// which run it holds (its persistence id: the run id comes from here, not from the folder's name) and
/// its events, decoded by the coordinator's serializer. Not through Akka.Persistence's read journal: on a
/// journal left by a killed process it could fail inside SQLite's transaction handling and take the
/// process down. Opened read-write, as the run itself opens it, so SQLite can roll back a write the kill
/// interrupted; no connection stays open afterwards.
/// </summary>
public static class ResumeJournal
{
    public sealed record Contents(string PersistenceId, IReadOnlyList<IRunEvent> Events);

    /// <summary>The run's events; null when the journal holds none (no table yet, or no <c>run-*</c> row).</summary>
    public static Contents? Read(string journalFile, string folderName, string requested)
    {
        var rows = new List<(byte[] Message, int Serializer, string Manifest)>();
        string persistenceId;
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = journalFile, Pooling = false }.ToString());
            connection.Open();
            using (var table = connection.CreateCommand())
            {
                table.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal'";
                if (Convert.ToInt64(table.ExecuteScalar()) == 0) return null;
            }
            var ids = new List<string>();
            using (var query = connection.CreateCommand())
            {
                query.CommandText = "SELECT DISTINCT persistence_id FROM journal WHERE persistence_id LIKE 'run-%' AND deleted = 0 ORDER BY persistence_id";
                using var reader = query.ExecuteReader();
                while (reader.Read()) ids.Add(reader.GetString(0));
            }
            if (ids.Count == 0) return null;
            persistenceId = ids.Count == 1 ? ids[0]
                : ids.Contains("run-" + folderName) ? "run-" + folderName
                : throw new ConfigurationError("--resume", requested,
                    $"its journal holds {ids.Count} runs ({string.Join(", ", ids)}), none named after the folder; which one to resume is not clear");
            using (var query = connection.CreateCommand())
            {
                query.CommandText = "SELECT message, identifier, manifest FROM journal WHERE persistence_id = $id AND deleted = 0 ORDER BY sequence_number";
                query.Parameters.AddWithValue("$id", persistenceId);
                using var reader = query.ExecuteReader();
                while (reader.Read()) rows.Add(((byte[])reader[0], reader.IsDBNull(1) ? 0 : reader.GetInt32(1), reader.IsDBNull(2) ? "" : reader.GetString(2)));
            }
        }
        // A journal SQLite opens but that is not a readable run journal is damaged, not bad input: exit 1.
        catch (SqliteException e)
        {
            throw new RunCannotStart($"{journalFile} cannot be read as a run's journal: {e.Message}; the run was not resumed");
        }
        return new Contents(persistenceId, Decode(rows, journalFile, requested));
    }

    private static List<IRunEvent> Decode(List<(byte[] Message, int Serializer, string Manifest)> rows, string journalFile, string requested)
    {
        var config = ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.stdout-loglevel = OFF").WithFallback(AkkaConfig.ForSqlite(journalFile, null));
        var system = ActorSystem.Create("resume-check", config);
        try
        {
            return rows.Select((row, i) =>
            {
                try
                {
                    return system.Serialization.Deserialize(row.Message, row.Serializer, row.Manifest) as IRunEvent
                           ?? throw new InvalidOperationException("not a run event");
                }
                catch (Exception e)
                {
                    throw new RunCannotStart(
                        $"{journalFile}: event {i + 1} ({row.Manifest}) cannot be read back by this version: {e.Message}; the run was not resumed");
                }
            }).ToList();
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }
}
