using Coordinator.Actors.TestSupport;
using Coordinator.Cli.Hosting;
using Microsoft.Data.Sqlite;

namespace Coordinator.Cli.Tests;

/// <summary>
/// Which journal files a resume refuses before anything starts: a SQLite file that holds rows but no journal
/// table is not a run's journal; one with no journal table and no row at all (a run killed while its journal
/// was being created) is "no journal yet", as a 0-byte file is, and the resume starts the run from epoch 1.
/// </summary>
public sealed class SqliteJournalCheckTests : IDisposable
{
    private readonly TempFolder _temp = new("journal-check");

    [Fact]
    public void A_file_without_a_journal_table_or_any_row_is_no_journal_yet()
    {
        var journal = Database("created.db", "CREATE TABLE snapshot (persistence_id TEXT, sequence_number INTEGER);");
        Assert.Null(SqliteJournalCheck.Problem(journal));
    }

    [Fact]
    public void A_file_with_rows_but_no_journal_table_is_not_a_runs_journal()
    {
        var journal = Database("foreign.db", "CREATE TABLE things (x INTEGER); INSERT INTO things VALUES (1);");
        var problem = SqliteJournalCheck.Problem(journal);
        Assert.NotNull(problem);
        Assert.StartsWith("holds no 'journal' table", problem);
    }

    [Fact]
    public void An_empty_or_missing_file_is_left_to_the_resume()
    {
        Assert.Null(SqliteJournalCheck.Problem(_temp.File("empty.db", "")));
        Assert.Null(SqliteJournalCheck.Problem(_temp.Combine("missing.db")));
    }

    private string Database(string name, string statements)
    {
        var path = _temp.Combine(name);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = statements;
            command.ExecuteNonQuery();
        }
        return path;
    }

    public void Dispose() => _temp.Dispose();
}
