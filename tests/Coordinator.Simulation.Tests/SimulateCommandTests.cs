using System.Text.Json;
using Coordinator.Cli;

namespace Coordinator.Simulation.Tests;

/// <summary>The <c>simulate</c> verb end to end, as a user runs it.</summary>
public sealed class SimulateCommandTests
{
    /// <summary>The command line, in this process, with its output captured.</summary>
    internal static (int Exit, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CoordinatorCli.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    [Fact]
    public void Simulating_the_shipped_example_prints_a_line_per_epoch_and_a_final_line()
    {
        var (exit, output, _) = Cli("simulate", "--callbacks", Data("callbacks.example.conf"), "--metrics", Data("metrics.example.csv"));

        Assert.Equal(ExitCodes.Ok, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var final = lines[^1];
        Assert.True(final.GetProperty("final").GetBoolean());
        Assert.Equal(lines.Count - 1, final.GetProperty("epochs_run").GetInt32());
        Assert.Equal("no-improvement", final.GetProperty("stop_kind").GetString());
        var stopped = final.GetProperty("stopped_epoch").GetInt32();
        Assert.Equal(stopped, lines[^2].GetProperty("epoch").GetInt32());
        Assert.True(lines[^2].GetProperty("stop").GetBoolean());
        // The scheduler holds the rate for 10 epochs, then multiplies it by exp(-0.1) (in float32, as Keras).
        Assert.Equal((double)(float)0.01, lines[9].GetProperty("lr").GetDouble());
        Assert.Equal((double)(float)((double)(float)0.01 * Math.Exp(-0.1)), lines[10].GetProperty("lr").GetDouble());
        Assert.Equal(lines[final.GetProperty("restored_weights_epoch").GetInt32()].GetProperty("saved")[0].GetString(),
            $"ckpt-{final.GetProperty("restored_weights_epoch").GetInt32() + 1:00}-{final.GetProperty("best").GetDouble():0.0000}.weights");
    }

    [Fact]
    public void Bad_input_exits_non_zero_with_a_message_naming_field_and_value()
    {
        using var dir = new TempFolder();
        var conf = dir.File("c.conf", "callbacks = [ { type = reduce-lr-on-plateau, factor = 1.5 } ]");
        var metrics = dir.File("m.csv", "epoch,loss,val_loss\n0,1,1\n");

        var (exit, output, error) = Cli("simulate", "--callbacks", conf, "--metrics", metrics);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("", output);
        Assert.Contains("reduce-lr-on-plateau: factor = 1.5", error);

        var ragged = dir.File("r.csv", "epoch,loss\n0,1\n1,1,2\n");
        var (exit2, _, error2) = Cli("simulate", "--callbacks", conf, "--metrics", ragged);
        Assert.Equal(ExitCodes.BadInput, exit2);
        Assert.Contains("line 3", error2);

        var unknown = dir.File("u.conf", "callbacks = [ { type = early-stopping, patience = 1, foo = 2 } ]");
        var (exit3, _, error3) = Cli("simulate", "--callbacks", unknown, "--metrics", metrics);
        Assert.Equal(ExitCodes.BadInput, exit3);
        Assert.Contains("callbacks[0].foo = 2", error3);
    }

    [Fact]
    public void A_missing_required_option_is_an_error()
    {
        var (exit, _, error) = Cli("simulate", "--metrics", "x.csv");
        Assert.NotEqual(ExitCodes.Ok, exit);
        Assert.Contains("--callbacks", error);
    }

    [Fact]
    public void A_schedule_that_yields_a_bad_rate_fails_naming_epoch_and_value()
    {
        using var dir = new TempFolder();
        var conf = dir.File("c.conf", "callbacks = [ { type = learning-rate-scheduler, schedule { kind = multiply-every, every = 1, factor = 1e-30 } } ]");
        var metrics = dir.File("m.csv", "epoch,loss\n0,1\n1,1\n2,1\n");

        var (exit, output, error) = Cli("simulate", "--callbacks", conf, "--metrics", metrics);
        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("for epoch 2", error);
        Assert.Equal(2, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void A_csv_logger_writes_the_Keras_CSV()
    {
        using var dir = new TempFolder();
        var file = Path.Combine(dir.Path, "history.csv");
        var conf = dir.File("c.conf", $"callbacks = [ {{ type = reduce-lr-on-plateau, monitor = loss, patience = 1 }}, {{ type = csv-logger, filename = \"{file}\" }} ]");
        var metrics = dir.File("m.csv", "epoch,loss,accuracy\n0,1.0,0.5\n1,1.5,\n");

        var (exit, _, _) = Cli("simulate", "--callbacks", conf, "--metrics", metrics);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal(
            "epoch,accuracy,learning_rate,loss,val_accuracy,val_learning_rate,val_loss\r\n" +
            "0,0.5,0.009999999776482582,1.0,NA,NA,NA\r\n" +
            "1,NA,0.009999999776482582,1.5,NA,NA,NA\r\n",
            File.ReadAllText(file));
    }
}
