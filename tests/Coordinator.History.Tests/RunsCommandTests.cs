using System.Text.RegularExpressions;
using Coordinator.Cli.History;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;

namespace Coordinator.History.Tests;

/// <summary><c>coordinator runs</c> over a folder of scripted runs.</summary>
public sealed class RunsCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Three runs (stopped, unfinished, failed), a folder that is not a run and a loose file.</summary>
    private string Root()
    {
        ScriptedRuns.StoppedAndResumed(_temp.Path, "r1");
        ScriptedRuns.Unfinished(_temp.Path, "r2");
        ScriptedRuns.Failed(_temp.Path, "r3");
        Directory.CreateDirectory(_temp.Combine("notes"));
        File.WriteAllText(_temp.Combine("notes", "todo.txt"), "not a run");
        File.WriteAllText(_temp.Combine("README.txt"), "not a run either");
        // Last activity: r3, then r1, then r2 (oldest first).
        Touch("r3", new DateTime(2026, 1, 1, 10, 0, 0, DateTimeKind.Utc));
        Touch("r1", new DateTime(2026, 1, 2, 10, 0, 0, DateTimeKind.Utc));
        Touch("r2", new DateTime(2026, 1, 3, 10, 0, 0, DateTimeKind.Utc));
        return _temp.Path;
    }

    private void Touch(string run, DateTime at)
    {
        foreach (var file in Directory.EnumerateFiles(_temp.Combine(run), "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, at);
    }

    private static string[] Cells(string line) => Regex.Split(line.Trim(), @"\s{2,}");

    [Fact]
    public void Lists_each_run_with_status_epochs_best_and_last_activity_and_skips_other_folders()
    {
        var result = Cli.Run("runs", Root());

        Assert.Equal(0, result.Exit);
        Assert.Equal("", result.Err);
        var lines = result.Lines;
        Assert.Equal(["RUN", "STATUS", "EPOCHS", "BEST", "LAST ACTIVITY"], Cells(lines[0]));
        Assert.Equal(4, lines.Length);
        Assert.Equal(["r3", "failed", "0", "-", "2026-01-01 10:00:00Z"], Cells(lines[1]));
        Assert.Equal(["r1", "stopped", "3", "val_loss 0.6000 (epoch 2)", "2026-01-02 10:00:00Z"], Cells(lines[2]));
        Assert.Equal(["r2", "unfinished", "2", "val_loss 0.5000 (epoch 2)", "2026-01-03 10:00:00Z"], Cells(lines[3]));
        Assert.DoesNotContain(lines, l => l.Contains("notes") || l.Contains("README"));
        // Aligned columns: every row starts its STATUS cell where the header does.
        var statusColumn = lines[0].IndexOf("STATUS", StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.NotEqual(' ', l[statusColumn]));
        Assert.All(lines.Skip(1), l => Assert.Equal(' ', l[statusColumn - 1]));
    }

    [Fact]
    public void Json_lists_the_runs_with_best_epochs_from_0()
    {
        var result = Cli.Run("runs", Root(), "--json");

        Assert.Equal(0, result.Exit);
        var runs = HistoryJson.DeserializeRuns(result.Out);
        Assert.Equal(["r3", "r1", "r2"], runs.Select(r => r.RunId));
        Assert.Equal([RunStatus.Failed, RunStatus.Stopped, RunStatus.Unfinished], runs.Select(r => r.Status));
        Assert.Equal([0, 3, 2], runs.Select(r => r.EpochsRun));
        var r1 = runs[1];
        Assert.Equal(("val_loss", 0.6, 1, "events"), (r1.Monitor, r1.Best, r1.BestEpoch, r1.BestFrom));
        Assert.Equal(_temp.Combine("r1"), r1.Folder);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 10, 0, 0, TimeSpan.Zero), r1.LastActivity);
        Assert.Null(runs[0].Best);
        Assert.Contains("\"best_epoch\": 1", result.Out);
    }

    [Fact]
    public void The_best_value_comes_from_summary_json_once_the_run_has_finished()
    {
        var root = Root();
        WriteSummary("r1", best: 0.55, bestEpoch: 4);
        WriteSummary("r2", best: 0.11, bestEpoch: 0); // stale: the journal says the run goes on

        var runs = HistoryJson.DeserializeRuns(Cli.Run("runs", root, "--json").Out).ToDictionary(r => r.RunId);

        Assert.Equal((0.55, 4, "summary"), (runs["r1"].Best, runs["r1"].BestEpoch, runs["r1"].BestFrom));
        Assert.Equal((0.5, 1, "events"), (runs["r2"].Best, runs["r2"].BestEpoch, runs["r2"].BestFrom));
        Assert.Contains(Cli.Run("runs", root).Lines, l => l.StartsWith("r1 ") && l.Contains("val_loss 0.5500 (epoch 5)"));
    }

    [Fact]
    public void The_monitor_comes_from_the_runs_own_configuration_when_there_is_no_summary()
    {
        var run = ScriptedRuns.Unfinished(_temp.Path, "acc-run");
        File.WriteAllText(Path.Combine(run.Folder, "run.conf"),
            "callbacks = [ { type = early-stopping, monitor = val_accuracy, patience = 3 } ]\n");

        var listing = Assert.Single(HistoryJson.DeserializeRuns(Cli.Run("runs", _temp.Path, "--json").Out));

        Assert.Equal(("val_accuracy", 0.81, 1), (listing.Monitor, listing.Best, listing.BestEpoch));
    }

    [Fact]
    public void An_empty_root_prints_a_friendly_line_and_exits_0()
    {
        var empty = _temp.Combine("empty");
        Directory.CreateDirectory(empty);
        Directory.CreateDirectory(Path.Combine(empty, "not-a-run"));

        var text = Cli.Run("runs", empty);
        var json = Cli.Run("runs", empty, "--json");

        Assert.Equal(0, text.Exit);
        Assert.Equal([$"no runs in {empty}"], text.Lines);
        Assert.Equal(0, json.Exit);
        Assert.Empty(HistoryJson.DeserializeRuns(json.Out));
    }

    [Fact]
    public void A_missing_root_exits_2_naming_it()
    {
        var missing = _temp.Combine("no-runs-here");

        var result = Cli.Run("runs", missing);

        Assert.Equal(2, result.Exit);
        Assert.Equal("", result.Out);
        Assert.Contains(missing, result.Err);
    }

    [Fact]
    public void A_run_whose_journal_cannot_be_read_is_listed_as_unreadable_with_a_warning()
    {
        var root = Root();
        var broken = _temp.Combine("broken");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "journal.db"), "this is not SQLite");

        var result = Cli.Run("runs", root);

        Assert.Equal(0, result.Exit);
        Assert.Contains(result.Lines, l => Cells(l) is ["broken", "unreadable", "0", "-", _]);
        Assert.Contains(Path.Combine(broken, "journal.db"), result.Err);
    }

    [Fact]
    public void Root_defaults_to_runs_in_the_current_folder()
    {
        var runs = _temp.Combine("runs");
        ScriptedRuns.Unfinished(runs, "r2");
        var previous = Environment.CurrentDirectory;
        // Only this test changes the current folder; every other test passes absolute paths.
        Environment.CurrentDirectory = _temp.Path;
        try
        {
            var result = Cli.Run("runs");
            Assert.Equal(0, result.Exit);
            Assert.Equal(2, result.Lines.Length);
            Assert.StartsWith("r2 ", result.Lines[1]);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    private void WriteSummary(string run, double best, int bestEpoch) =>
        SummaryJson.Write(new RunSummary(run, RunStatus.Stopped, 3, 2, "stopped", "val_loss", bestEpoch, best,
            FinalMetrics.Of(0.9, 0.75, 0.6, 0.8), 2, "gradients", 12.5, [], [], []), _temp.Combine(run));
}
