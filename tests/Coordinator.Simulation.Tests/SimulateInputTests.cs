using System.Text.Json;
using Coordinator.Cli;

namespace Coordinator.Simulation.Tests;

/// <summary>
/// <c>simulate</c> refuses nonsense with the field and value named (exit 2, no output, no files),
/// and replays a finished run from its own configuration and history.
/// </summary>
public sealed class SimulateInputTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private (int Exit, string Out, string Err) Simulate(string conf, string metrics, params string[] more) =>
        SimulateCommandTests.Cli(["simulate", "--callbacks", _dir.File("c.conf", conf), "--metrics", _dir.File("m.csv", metrics), .. more]);

    private static void AssertBadInput((int Exit, string Out, string Err) result, string message)
    {
        Assert.Equal(ExitCodes.BadInput, result.Exit);
        Assert.Equal("", result.Out);
        Assert.Equal($"error: {message}", result.Err.Trim());
    }

    [Fact]
    public void A_misspelled_monitor_is_an_unknown_metric_not_one_of_unknown_direction()
    {
        AssertBadInput(Simulate("callbacks = [ { type = early-stopping, monitor = val_los } ]", "epoch,loss,val_loss\n0,1,1\n"),
            "callbacks[0].monitor = val_los: unknown metric; the logs have: loss, val_loss, learning_rate (from " + Path.Combine(_dir.Path, "m.csv") + ")");
    }

    [Fact]
    public void A_misspelled_top_level_key_is_an_error_not_a_replay_without_callbacks()
    {
        AssertBadInput(Simulate("callback = [ { type = early-stopping } ]", "epoch,val_loss\n0,1\n"),
            "callback = [ ... ]: unknown top-level key in " + Path.Combine(_dir.Path, "c.conf") +
            "; allowed: callbacks, or a run configuration's sections (data, model, optimizer, training, callbacks, reporting, akka)");
    }

    [Fact]
    public void A_file_without_a_callbacks_list_is_an_error()
    {
        var result = Simulate("optimizer { learning-rate = 0.1 }", "epoch,val_loss\n0,1\n");
        Assert.Equal(ExitCodes.BadInput, result.Exit);
        Assert.StartsWith("error: callbacks = (missing): ", result.Err);
    }

    [Theory]
    [InlineData("early-stopping", "min-delta = NaN")]
    [InlineData("early-stopping", "baseline = inf")]
    [InlineData("reduce-lr-on-plateau", "min-delta = nan")]
    public void A_comparison_value_that_is_not_finite_is_refused(string type, string setting)
    {
        var result = Simulate($"callbacks = [ {{ type = {type}, {setting} }} ]", "epoch,val_loss\n0,1\n");
        Assert.Equal(ExitCodes.BadInput, result.Exit);
        Assert.Contains($"{type}: {setting.Split(" = ")[0]} = ", result.Err);
        Assert.Contains("must be a finite number", result.Err);
    }

    [Fact]
    public void A_csv_logger_file_that_cannot_be_created_is_refused_before_anything_runs()
    {
        var blocker = _dir.File("not-a-folder", "x");
        var target = Path.Combine(blocker, "sub", "log.csv");
        var result = Simulate($"callbacks = [ {{ type = csv-logger, filename = \"{target}\" }} ]", "epoch,loss\n0,1\n");
        Assert.Equal(ExitCodes.BadInput, result.Exit);
        Assert.Equal("", result.Out);
        Assert.StartsWith($"error: callbacks[0].filename = {target}: cannot be written: ", result.Err);
        Assert.DoesNotContain("   at ", result.Err); // no stack trace
    }

    [Fact]
    public void Checking_a_csv_logger_file_leaves_nothing_behind_when_the_replay_is_refused()
    {
        var target = Path.Combine(_dir.Path, "new", "deeper", "log.csv");
        var result = Simulate($"callbacks = [ {{ type = csv-logger, filename = \"{target}\" }}, {{ type = early-stopping, monitor = val_los }} ]",
            "epoch,val_loss\n0,1\n");
        Assert.Equal(ExitCodes.BadInput, result.Exit);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "new")));
    }

    // A finished run: SGD at 0.05; ReduceLROnPlateau (patience 1, factor 0.2, min-lr 0.01) cut the rate
    // once, after epoch 2, to 0.01, and never again (0.01 is min-lr). history.csv records each epoch's rate.
    private const string RunConf =
        """
        data { path = "/nowhere/digits.csv.gz" }
        optimizer { type = sgd, learning-rate = 0.05, momentum = 0.9 }
        training { epochs = 5 }
        callbacks = [ { type = reduce-lr-on-plateau, monitor = val_loss, factor = 0.2, patience = 1, min-lr = 0.01 } ]
        """;

    private const string History =
        "epoch,accuracy,learning_rate,loss,val_accuracy,val_loss\n" +
        "0,0.5,0.05000000074505806,1.0,0.5,0.9\n" +
        "1,0.6,0.05000000074505806,0.9,0.6,0.8\n" +
        "2,0.6,0.05000000074505806,0.8,0.6,0.85\n" +
        "3,0.7,0.009999999776482582,0.7,0.7,0.86\n" +
        "4,0.7,0.009999999776482582,0.6,0.7,0.87\n";

    private static List<JsonElement> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public void A_finished_run_replays_with_its_own_starting_rate_and_makes_only_its_own_cuts()
    {
        var (exit, output, error) = Simulate(RunConf, History);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal("", error); // the replay's rates are the record's: no departure warning
        var lines = Lines(output);
        Assert.Equal([0.05, 0.05, 0.05, 0.01, 0.01], lines.Take(5).Select(l => (double)(float)l.GetProperty("lr").GetDouble()).Select(v => Math.Round(v, 6)));
        Assert.Equal(["epoch 2: 0.05 -> 0.01"], lines.Take(5)
            .Where(l => l.GetProperty("lr").GetDouble() != l.GetProperty("lr_after").GetDouble())
            .Select(l => $"epoch {l.GetProperty("epoch").GetInt32()}: {Math.Round(l.GetProperty("lr").GetDouble(), 6)} -> {Math.Round(l.GetProperty("lr_after").GetDouble(), 6)}"));
    }

    [Fact]
    public void Without_a_configured_rate_the_history_gives_it()
    {
        var conf = "callbacks = [ { type = reduce-lr-on-plateau, monitor = val_loss, factor = 0.2, patience = 1, min-lr = 0.01 } ]";
        var (exit, output, error) = Simulate(conf, History);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal("", error);
        Assert.Equal((double)(float)0.05, Lines(output)[0].GetProperty("lr").GetDouble());
    }

    [Fact]
    public void A_replay_whose_rate_departs_from_the_history_says_so_once()
    {
        var (exit, output, error) = Simulate(RunConf, History, "--initial-lr", "0.1");
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal((double)(float)0.1, Lines(output)[0].GetProperty("lr").GetDouble()); // the flag over the file
        Assert.Equal(
            "warning: simulate: the metrics' learning_rate at epoch 0 is 0.05000000074505806, but the replay trains that epoch with " +
            "0.10000000149011612: from here its decisions may not be the run's (the run's starting rate comes from --initial-lr, " +
            "or from the run's configuration given as --callbacks)", error.Trim());
    }
}
