using System.Buffers.Binary;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Coordinator.Cli.Hosting;

/// <summary>
/// Checks a run's SQLite journal before an actor system opens it. Akka.Persistence.Sql's journal restarts
/// itself forever when its file cannot be opened, so a truncated, zeroed or overwritten journal.db would
/// otherwise loop on initialisation errors instead of failing: here it fails at once, with what is wrong.
/// </summary>
public static class SqliteJournalCheck
{
    private const int HeaderLength = 100;
    private static readonly byte[] Magic = "SQLite format 3\0"u8.ToArray();

    /// <summary>
    /// What is wrong with the journal file at <paramref name="path"/>, or null when SQLite reads it and it holds
    /// the journal table. A missing or empty (0-byte) file is not judged here: it is "no journal yet".
    /// </summary>
    public static string? Problem(string path, string journalTable = "journal")
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.Length == 0) return null;
        try
        {
            return HeaderProblem(path, file.Length) ?? ContentProblem(path, journalTable);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {e.Message}";
        }
    }

    private static string? HeaderProblem(string path, long length)
    {
        var header = new byte[HeaderLength];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        if (header.AsSpan(0, read).IndexOfAnyExcept((byte)0) < 0)
            return $"is zeroed: its first {read} bytes are all 0 where the SQLite header should be (the file was overwritten or never written)";
        var prefix = Math.Min(read, Magic.Length);
        if (!header.AsSpan(0, prefix).SequenceEqual(Magic.AsSpan(0, prefix)))
            return $"is not a SQLite database: it does not start with the SQLite header \"SQLite format 3\" (first bytes: {Preview(header, prefix)})";
        if (read < HeaderLength)
            return $"is truncated: {length} bytes, shorter than a SQLite header ({HeaderLength} bytes)";

        // The header's page count is valid when its version-valid-for number equals the change counter. A hot
        // rollback journal or a WAL next to it means SQLite has not finished a write yet (a killed run): it
        // completes or undoes it on open, so the size is judged by SQLite below, not from the header.
        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16)) is var p && p == 1 ? 65536 : p;
        var pages = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28));
        var valid = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24)) == BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(92));
        var pending = NonEmpty(path + "-journal") || NonEmpty(path + "-wal");
        var expected = (long)pages * pageSize;
        if (valid && !pending && pages > 0 && length < expected)
            return $"is truncated: {length} bytes, but its header says {expected} ({pages} pages of {pageSize} bytes)";
        return null;
    }

    private static string? ContentProblem(string path, string journalTable)
    {
        // Read-write, not read-only: SQLite rolls a killed run's unfinished write back on open, which a
        // read-only connection cannot do. Nothing here writes; no pooling, so the file is closed after.
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        try
        {
            using var db = new SqliteConnection(connection.ConnectionString);
            db.Open();
            using (var check = db.CreateCommand())
            {
                check.CommandText = "PRAGMA quick_check";
                using var rows = check.ExecuteReader();
                var findings = new List<string>();
                while (rows.Read()) findings.Add(rows.GetString(0));
                if (findings is not ["ok"])
                    return $"is damaged: SQLite's quick_check reports {string.Join("; ", findings.Take(3))}" +
                           (findings.Count > 3 ? $" (and {findings.Count - 3} more)" : "");
            }
            using var table = db.CreateCommand();
            table.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
            table.Parameters.AddWithValue("$name", journalTable);
            if (Convert.ToInt64(table.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0 && HoldsRows(db))
                return $"holds no '{journalTable}' table: it is a SQLite database, but not a run's journal";
            return null; // without a journal table or any row it is "no journal yet" (a run killed while creating it)
        }
        catch (SqliteException e)
        {
            return $"is damaged: SQLite cannot read it ({e.Message})";
        }
    }

    private static bool HoldsRows(SqliteConnection db)
    {
        using var tables = db.CreateCommand();
        tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        var names = new List<string>();
        using (var rows = tables.ExecuteReader())
            while (rows.Read()) names.Add(rows.GetString(0));
        foreach (var name in names)
        {
            using var count = db.CreateCommand();
            count.CommandText = $"SELECT EXISTS (SELECT 1 FROM \"{name.Replace("\"", "\"\"")}\")";
            if (Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0) return true;
        }
        return false;
    }

    private static bool NonEmpty(string path) => new FileInfo(path) is { Exists: true, Length: > 0 };

    private static string Preview(byte[] header, int count)
    {
        var text = new StringBuilder();
        foreach (var b in header.AsSpan(0, count)) text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        return "\"" + text + "\"";
    }
}
