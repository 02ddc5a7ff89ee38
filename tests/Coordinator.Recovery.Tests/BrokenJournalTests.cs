using System.Security.Cryptography;
using Coordinator.Actors.TestSupport;
using Coordinator.Recovery.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Coordinator.Recovery.Tests;

/// <summary>
/// <c>train --resume</c> on a run whose journal is broken ends at once — exit 1, one line on stderr naming the
/// journal and what is wrong, no stack trace — and changes nothing in the run folder; it used to loop on the
/// journal plug-in's restarts. An unknown persistence plug-in is bad input (exit 2, no run folder). The
/// broken journals are made from one real, unfinished run (trained once for the class). Exit codes and
/// messages are asserted, not times: the process timeout only guards against a hang.
/// </summary>
[Collection(ProcessRunsA.Name)]
public sealed class BrokenJournalTests(BrokenJournalTests.UnfinishedRun run, ITestOutputHelper output)
    : IClassFixture<BrokenJournalTests.UnfinishedRun>, IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);
    private readonly TempFolder _temp = new("broken-journal");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_truncated_journal_fails_the_resume_naming_the_file()
    {
        var folder = run.CopyTo(_temp.Combine("truncated"));
        var journal = Path.Combine(folder, "journal.db");
        using (var file = File.OpenWrite(journal)) file.SetLength(file.Length / 2);

        AssertFailsInOneLine(folder, $"error: {journal} is truncated: ");
    }

    [Fact]
    public void A_zeroed_journal_fails_the_resume_naming_the_file()
    {
        var folder = run.CopyTo(_temp.Combine("zeroed"));
        var journal = Path.Combine(folder, "journal.db");
        File.WriteAllBytes(journal, new byte[new FileInfo(journal).Length]);

        AssertFailsInOneLine(folder, $"error: {journal} is zeroed: ");
    }

    [Fact]
    public void A_journal_overwritten_with_garbage_fails_the_resume_naming_the_file()
    {
        var folder = run.CopyTo(_temp.Combine("garbage"));
        var journal = Path.Combine(folder, "journal.db");
        var garbage = new byte[new FileInfo(journal).Length];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(journal, garbage);

        AssertFailsInOneLine(folder, $"error: {journal} is not a SQLite database: ");
    }

    [Fact]
    public void A_journal_table_that_is_not_a_run_journal_fails_the_resume_in_one_line()
    {
        // A sound SQLite file whose journal table is not Akka.Persistence.Sql's: it passes the file check, and
        // the resume's own read of the journal (before any actor system, whose plug-in would restart forever
        // on it) fails on it.
        var folder = run.CopyTo(_temp.Combine("foreign"));
        var journal = Path.Combine(folder, "journal.db");
        File.Delete(journal);
        Sql(journal, "CREATE TABLE journal (x INTEGER); INSERT INTO journal VALUES (1);");

        // The snapshot store may add its table to the file; the run's other files and the rows stay as they were.
        var line = AssertFailsInOneLine(folder, $"error: {journal} cannot be read as a run's journal: ", except: "journal.db");
        Assert.EndsWith("; the run was not resumed", line);
        Assert.Equal(1L, Sql(journal, "SELECT count(*) FROM journal WHERE x = 1"));
    }

    [Fact]
    public void An_event_that_cannot_be_read_back_fails_the_resume_in_one_line()
    {
        var folder = run.CopyTo(_temp.Combine("unreadable-event"));
        var journal = Path.Combine(folder, "journal.db");
        Sql(journal, "UPDATE journal SET manifest = 'no-such-event.v9' WHERE sequence_number = (SELECT max(sequence_number) FROM journal);");

        var line = AssertFailsInOneLine(folder, $"error: {journal}: event ");
        Assert.Contains("no-such-event.v9", line);
    }

    [Fact]
    public void A_snapshot_store_that_cannot_start_ends_a_new_run_in_one_line()
    {
        // A provider that cannot use the SQLite connection string the program gives the snapshot store.
        var (line, runDir) = NewRunFailsInOneLine("akka.persistence.snapshot-store.sql.provider-name = \"PostgreSQL.15\"", 1);

        Assert.StartsWith("error: the snapshot store (akka.persistence.snapshot-store.sql) could not start: ", line);
        Assert.EndsWith($"; the run did not start (nothing was left in {runDir})", line);
    }

    [Fact]
    public void An_unknown_journal_plugin_is_bad_input_and_makes_no_run_folder()
    {
        var (line, _) = NewRunFailsInOneLine("akka.persistence.journal.plugin = \"akka.persistence.journal.nope\"", 2);

        Assert.StartsWith("error: akka.persistence.journal.plugin = \"akka.persistence.journal.nope\": no such plug-in", line);
        Assert.Contains("available: ", line);
        Assert.Contains("akka.persistence.journal.sql", line);
    }

    /// <summary>A new run of digits.conf plus <paramref name="akkaLine"/>: the exit code, exactly one stderr line,
    /// no stack trace, no epoch trained, and no run folder left.</summary>
    private (string Line, string RunDir) NewRunFailsInOneLine(string akkaLine, int exit)
    {
        var conf = _temp.File("run.conf", DigitsConf.Text() + "\n" + akkaLine + "\n");
        var runDir = _temp.Combine("new");
        var result = CoordinatorProcess.Run(["train", "--config", conf, "--run-dir", runDir], timeout: HangGuard);
        output.WriteLine(result.ToString());

        Assert.Equal(exit, result.Exit);
        var line = Assert.Single(Lines(result.Stderr));
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
        Assert.DoesNotContain("Epoch 1/", result.Stdout);
        Assert.False(Directory.Exists(runDir), "a run folder was left for a run that never started");
        return (line, runDir);
    }

    /// <summary>Resumes <paramref name="folder"/>: exit 1, exactly one stderr line starting with
    /// <paramref name="start"/>, no stack trace anywhere, and every file of the folder (but <paramref name="except"/>) as it was.</summary>
    private string AssertFailsInOneLine(string folder, string start, string? except = null)
    {
        var before = Snapshot(folder, except);
        var result = CoordinatorProcess.Run(["train", "--resume", folder], timeout: HangGuard);
        output.WriteLine(result.ToString());

        Assert.Equal(1, result.Exit);
        var line = Assert.Single(Lines(result.Stderr));
        Assert.StartsWith(start, line);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
        Assert.DoesNotContain("Exception", result.Stdout + result.Stderr);
        Assert.Equal(before, Snapshot(folder, except));
        return line;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static object? Sql(string database, string statements)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = statements;
        return command.ExecuteScalar();
    }

    /// <summary>Every file under the folder (but <paramref name="except"/>) with its SHA-256.</summary>
    private static SortedDictionary<string, string> Snapshot(string folder, string? except) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(folder, f) != except)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);

    /// <summary>A real run of one epoch, made unfinished (its summary.json removed) as a killed run is.
    /// Copies keep the folder's name ("run"), which the journal's persistence id is made of.</summary>
    public sealed class UnfinishedRun : IDisposable
    {
        private readonly TempFolder _temp = new("broken-journal-source");
        private readonly string _folder;

        public UnfinishedRun()
        {
            var conf = DigitsConf.CopyTo(_temp.Path);
            _folder = _temp.Combine("run");
            var result = CoordinatorProcess.Run(["train", "--config", conf, "--run-dir", _folder, "--epochs", "1"]);
            if (result.Exit != 0) throw new InvalidOperationException($"the source run failed: {result}");
            File.Delete(Path.Combine(_folder, "summary.json"));
        }

        public string CopyTo(string parent)
        {
            var target = Path.Combine(parent, "run");
            foreach (var file in Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories))
            {
                var to = Path.Combine(target, Path.GetRelativePath(_folder, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to);
            }
            return target;
        }

        public void Dispose() => _temp.Dispose();
    }
}
