using Coordinator.Actors.TestSupport;
using System.Text.Json.Nodes;
using Coordinator.Reporting;
using Xunit.Abstractions;

namespace Coordinator.Cli.Tests;

/// <summary>The same seed gives the same run: the split, the data order, the weights, every decision.</summary>
public sealed class DeterminismTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Two_runs_with_the_same_seed_write_the_same_summary_json_but_for_ids_and_times()
    {
        var first = Train("first");
        Directory.CreateDirectory(_temp.Combine("second")); // an existing empty folder is a valid --run-dir
        var second = Train("second");

        var a = Normalized(first);
        var b = Normalized(second);
        output.WriteLine(a);
        Assert.Equal(a, b);

        // The files behind the summaries are the same too.
        Assert.Equal(File.ReadAllText(Path.Combine(first, "history.csv")), File.ReadAllText(Path.Combine(second, "history.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "final.weights")), File.ReadAllBytes(Path.Combine(second, "final.weights")));
    }

    [Fact]
    public void Another_seed_gives_another_run()
    {
        var a = Normalized(Train("seed-7"));
        var b = Normalized(Train("seed-8", seed: "8"));
        Assert.NotEqual(a, b);
    }

    private string Train(string name, string seed = "7")
    {
        var folder = _temp.Combine(name);
        var result = Cli.TrainDigits(folder, "--epochs", "4", "--seed", seed);
        Assert.True(result.Exit == ExitCodes.Ok, $"{name}: exit {result.Exit}\n{result.Err}");
        return folder;
    }

    /// <summary>summary.json without run_id, wall_seconds and each epoch's seconds.</summary>
    private static string Normalized(string folder)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)))!.AsObject();
        Assert.NotNull(json["run_id"]);
        Assert.NotNull(json["wall_seconds"]);
        json.Remove("run_id");
        json.Remove("wall_seconds");
        var history = json["history"]!.AsArray();
        Assert.Equal(4, history.Count);
        foreach (var epoch in history)
        {
            Assert.NotNull(epoch!["seconds"]);
            epoch.AsObject().Remove("seconds");
        }
        return json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}
