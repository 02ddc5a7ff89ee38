using System.Text.Json;
using System.Text.Json.Serialization;
using Coordinator.Core.Storage;
using Npgsql;

namespace Coordinator.Cli.History;

/// <summary>
/// <c>journal.json</c> in a cluster run's folder: where its journal is (PostgreSQL), so that <c>history</c> and
/// <c>runs</c> find it. Written by every supervisor-capable node when it prepares the run. It never holds a
/// secret: the connection string is stored without its password (and the other password fields); the reader
/// gives it with <c>--journal</c>, or Npgsql takes it from <c>PGPASSWORD</c> or the user's <c>~/.pgpass</c>.
/// </summary>
public sealed record ClusterJournalFile(string Kind, string Provider, string? Connection, string PersistenceId)
{
    public const string FileName = "journal.json";
    public const string PostgreSqlKind = "postgresql";

    /// <summary>The record for a run whose journal is the PostgreSQL database <paramref name="connectionString"/> names.</summary>
    public static ClusterJournalFile ForPostgreSql(string connectionString, string persistenceId) =>
        new(PostgreSqlKind, "PostgreSQL.15", WithoutSecrets(connectionString), persistenceId);

    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    public static bool ExistsIn(string folder) => File.Exists(PathIn(folder));

    public void WriteTo(string folder) =>
        AtomicFile.WriteAllText(PathIn(folder), JsonSerializer.Serialize(this, ClusterJournalJsonContext.Default.ClusterJournalFile) + "\n");

    /// <summary>The record in <paramref name="folder"/>; throws <see cref="HistoryInputError"/> naming the file when it cannot be used.</summary>
    public static ClusterJournalFile ReadFrom(string folder)
    {
        var path = PathIn(folder);
        ClusterJournalFile? record;
        try
        {
            record = JsonSerializer.Deserialize(File.ReadAllText(path), ClusterJournalJsonContext.Default.ClusterJournalFile);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new HistoryInputError($"{path}: cannot be read: {e.Message}", e);
        }
        if (record is null || record.Kind != PostgreSqlKind)
            throw new HistoryInputError($"{path}: kind = {record?.Kind ?? "(missing)"}: only \"{PostgreSqlKind}\" is known");
        return record;
    }

    /// <summary>The connection string with every password field removed; null when it does not parse.</summary>
    public static string? WithoutSecrets(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            builder.Remove("Password");
            builder.Remove("SSL Password");
            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ClusterJournalFile))]
internal sealed partial class ClusterJournalJsonContext : JsonSerializerContext;
