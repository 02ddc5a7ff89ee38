using System.Text.Json;
using Coordinator.Core.Reporting;

namespace Coordinator.Reporting.Tests;

public class SummaryJsonTests
{
    [Fact]
    public void Round_trips_through_the_file()
    {
        using var folder = new TempFolder();
        var summary = Samples.StoppedRun() with { Error = "none so far" };

        var path = SummaryJson.Write(summary, folder.Path);
        var back = SummaryJson.Read(path);

        Assert.Equal(Path.Combine(folder.Path, "summary.json"), path);
        AssertSame(summary, back);
        AssertSame(summary, SummaryJson.Read(folder.Path));
    }

    [Fact]
    public void Uses_the_exact_snake_case_names_in_order()
    {
        using var doc = JsonDocument.Parse(SummaryJson.Serialize(Samples.StoppedRun()));
        var root = doc.RootElement;

        Assert.Equal(
            ["run_id", "status", "epochs_run", "stopped_epoch", "stop_reason", "monitor", "best_epoch", "best", "final",
             "workers", "sync", "wall_seconds", "history", "lr_changes", "checkpoints", "final_model", "error"],
            Names(root));
        Assert.Equal(["loss", "accuracy", "val_loss", "val_accuracy"], Names(root.GetProperty("final")));
        Assert.Equal(["epoch", "lr", "loss", "accuracy", "val_loss", "val_accuracy", "seconds"], Names(root.GetProperty("history")[0]));
        Assert.Equal(["epoch", "from", "to", "reason"], Names(root.GetProperty("lr_changes")[0]));
        Assert.Equal(["epoch", "path", "sha256", "bytes", "monitor_value", "deleted"], Names(root.GetProperty("checkpoints")[0]));

        Assert.Equal("run-20250101-abc123", root.GetProperty("run_id").GetString());
        Assert.Equal("stopped", root.GetProperty("status").GetString());
        Assert.Equal(24, root.GetProperty("epochs_run").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Equal("checkpoints/epoch-03.bin", root.GetProperty("checkpoints")[0].GetProperty("path").GetString());
        Assert.True(root.GetProperty("checkpoints")[0].GetProperty("deleted").GetBoolean());
        Assert.Equal(0.002, root.GetProperty("lr_changes")[0].GetProperty("to").GetDouble());
    }

    [Theory]
    [InlineData(RunStatus.Completed, "completed")]
    [InlineData(RunStatus.Stopped, "stopped")]
    [InlineData(RunStatus.Failed, "failed")]
    public void Writes_the_status_in_lower_case(RunStatus status, string expected)
    {
        var json = SummaryJson.Serialize(Samples.StoppedRun() with { Status = status });
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(expected, doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(status, SummaryJson.Deserialize(json).Status);
    }

    [Fact]
    public void Writes_non_finite_numbers_as_null()
    {
        var run = Samples.StoppedRun();
        var summary = run with
        {
            Best = double.NaN,
            WallSeconds = double.PositiveInfinity,
            Final = FinalMetrics.Of(double.NaN, 0.5, double.NegativeInfinity, 0.25),
            History = [run.History[0] with { Logs = run.History[0].Logs.With("loss", double.NaN).With("val_loss", double.PositiveInfinity).With("val_accuracy", double.NaN) }],
            LrChanges = [new LrChangeRecord(1, double.PositiveInfinity, 0.1, "schedule")],
            Checkpoints = [run.Checkpoints[0] with { MonitorValue = double.NegativeInfinity }],
        };

        var json = SummaryJson.Serialize(summary);
        using var doc = JsonDocument.Parse(json); // valid JSON: no NaN or Infinity tokens
        var root = doc.RootElement;

        Assert.DoesNotContain("NaN", json);
        Assert.DoesNotContain("Infinity", json);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("best").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("wall_seconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("final").GetProperty("loss").ValueKind);
        Assert.Equal(0.5, root.GetProperty("final").GetProperty("accuracy").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("final").GetProperty("val_loss").ValueKind);
        var epoch = root.GetProperty("history")[0];
        Assert.Equal(JsonValueKind.Null, epoch.GetProperty("loss").ValueKind);
        Assert.Equal(JsonValueKind.Null, epoch.GetProperty("val_loss").ValueKind);
        Assert.Equal(JsonValueKind.Null, epoch.GetProperty("val_accuracy").ValueKind);
        Assert.Equal(JsonValueKind.Number, epoch.GetProperty("accuracy").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("lr_changes")[0].GetProperty("from").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("checkpoints")[0].GetProperty("monitor_value").ValueKind);

        // Read back: null is NaN for a number, null for an optional one.
        var back = SummaryJson.Deserialize(json);
        Assert.Null(back.Best);
        Assert.True(double.IsNaN(back.WallSeconds));
        Assert.True(double.IsNaN(back.History[0].Loss));
        Assert.True(double.IsNaN(back.Final!.ValLoss));
        Assert.Null(back.Checkpoints[0].MonitorValue);
    }

    [Fact]
    public void Replaces_the_file_whole_and_leaves_no_temporary_file()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "summary.json");
        File.WriteAllText(path, "old and longer than the new one " + new string('x', 20_000));

        SummaryJson.Write(Samples.StoppedRun() with { RunId = "second" }, folder.Path);

        Assert.Equal("second", SummaryJson.Read(path).RunId);
        Assert.Equal(["summary.json"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        var text = File.ReadAllText(path);
        Assert.StartsWith("{\n  \"run_id\": \"second\",\n", text);
        Assert.EndsWith("}\n", text);
    }

    [Fact]
    public void Creates_the_run_folder_if_needed()
    {
        using var folder = new TempFolder();
        var nested = Path.Combine(folder.Path, "runs", "r1");
        var path = SummaryJson.Write(Samples.StoppedRun(), nested);
        Assert.True(File.Exists(path));
    }

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    private static void AssertSame(RunSummary expected, RunSummary actual)
    {
        Assert.Equal(expected with { History = [], LrChanges = [], Checkpoints = [] },
                     actual with { History = [], LrChanges = [], Checkpoints = [] },
                     new SummaryScalars());
        Assert.Equal(expected.History, actual.History);
        Assert.Equal(expected.LrChanges, actual.LrChanges);
        Assert.Equal(expected.Checkpoints, actual.Checkpoints);
    }

    // The records' own equality compares the (emptied) lists by reference; compare the rest.
    private sealed class SummaryScalars : IEqualityComparer<RunSummary>
    {
        public bool Equals(RunSummary? x, RunSummary? y) =>
            x is not null && y is not null &&
            (x.RunId, x.Status, x.EpochsRun, x.StoppedEpoch, x.StopReason, x.Monitor, x.BestEpoch, x.Best, x.Final,
             x.Workers, x.Sync, x.WallSeconds, x.FinalModel, x.Error) ==
            (y.RunId, y.Status, y.EpochsRun, y.StoppedEpoch, y.StopReason, y.Monitor, y.BestEpoch, y.Best, y.Final,
             y.Workers, y.Sync, y.WallSeconds, y.FinalModel, y.Error);

        public int GetHashCode(RunSummary obj) => obj.RunId.GetHashCode(StringComparison.Ordinal);
    }
}
