using System.Text;
using Coordinator.Core.Reporting;
using Spectre.Console;

namespace Coordinator.Reporting.Tests;

public class ConsoleProgressTests
{
    [Fact]
    public void Plain_output_of_a_short_run_is_one_line_per_epoch()
    {
        var output = new StringWriter();
        using (var progress = new PlainConsoleProgress(output))
            FakeRun(progress, stepDelay: null);

        Assert.Equal(
            ["Epoch 1/2  loss 0.6931  acc 0.5000  lr 0.01  1.5s",
             "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.002.",
             "Epoch 2/2  loss 0.4000  acc 0.8000  lr 0.002  1.4s  lr 0.01 -> 0.002 (plateau); checkpoint saved",
             "Run r1 stopped after 2 epochs",
             "  best:        val_loss 0.4500 at epoch 2",
             "  stopped:     max epochs",
             "  final:       loss 0.4000  acc 0.8000  val_loss 0.4500  val_acc 0.7900",
             "  final model: runs/r1/model.bin",
             "  wall time:   3.2s",
             "  run folder:  runs/r1"],
            Lines(output));
    }

    [Fact]
    public void The_stop_reason_that_summary_json_counts_from_0_is_shown_from_1_like_the_best_epoch()
    {
        var summary = Samples.StoppedRun() with { BestEpoch = 11, StopReason = "val_loss did not improve for 8 epochs (best 0.1229 at epoch 11)" };

        var lines = SummaryBlock.Lines(summary, "runs/r1", null);

        Assert.Contains(lines, l => l.StartsWith("  best:        val_loss ", StringComparison.Ordinal) && l.EndsWith(" at epoch 12", StringComparison.Ordinal));
        Assert.Contains("  stopped:     val_loss did not improve for 8 epochs (best 0.1229 at epoch 12)", lines);
    }

    [Fact]
    public void Plain_output_of_a_slow_epoch_adds_a_line_per_quarter_at_most()
    {
        var output = new StringWriter();
        var clock = new ManualClock();
        using (var progress = new PlainConsoleProgress(output, TimeSpan.FromSeconds(10), clock))
            FakeRun(progress, stepDelay: () => clock.Advance(TimeSpan.FromSeconds(2)));

        // Steps of 2 s: nothing in the first 10 s; then a line when a new quarter is reached.
        Assert.Equal(
            ["Epoch 1/2  62% (5/8)  loss 0.2000",
             "Epoch 1/2  75% (6/8)  loss 0.1667",
             "Epoch 1/2  loss 0.6931  acc 0.5000  lr 0.01  1.5s",
             "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.002.",
             "Epoch 2/2  41% (5/12)  loss 0.2000",
             "Epoch 2/2  50% (6/12)  loss 0.1667",
             "Epoch 2/2  75% (9/12)  loss 0.1111",
             "Epoch 2/2  loss 0.4000  acc 0.8000  lr 0.002  1.4s  lr 0.01 -> 0.002 (plateau); checkpoint saved"],
            Lines(output).Take(8));
    }

    [Fact]
    public void Plain_output_with_no_quiet_period_shows_every_quarter_once()
    {
        var output = new StringWriter();
        using (var progress = new PlainConsoleProgress(output, TimeSpan.Zero))
        {
            progress.EpochStarted(0, 1, 3, 0.1);
            for (var step = 1; step <= 3; step++) progress.BatchCompleted(step, 1.0 / step);
            progress.EpochStarted(1, 2, 100, 0.1);
            for (var step = 1; step <= 100; step++) progress.BatchCompleted(step, 0.5);
        }

        Assert.Equal(
            ["Epoch 1/1  33% (1/3)  loss 1.0000",
             "Epoch 1/1  66% (2/3)  loss 0.5000",
             "Epoch 2/2  25% (25/100)  loss 0.5000",
             "Epoch 2/2  50% (50/100)  loss 0.5000",
             "Epoch 2/2  75% (75/100)  loss 0.5000"],
            Lines(output));
    }

    [Fact]
    public void Plain_output_has_no_escape_codes()
    {
        var output = new StringWriter();
        using (var progress = new PlainConsoleProgress(output, TimeSpan.Zero))
            FakeRun(progress, stepDelay: null);
        Assert.DoesNotContain('\u001b', output.ToString());
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void The_factory_picks_plain_lines_for_a_redirected_console()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(new StringWriter()),
        });
        using var progress = ConsoleProgress.Create(console, new StringWriter());
        Assert.IsType<PlainConsoleProgress>(progress);
    }

    [Fact]
    public async Task The_live_display_is_fed_from_other_threads_and_prints_the_lines()
    {
        var buffer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(buffer),
        });
        console.Profile.Width = 200; // Spectre wraps text at the console's width
        var progress = ConsoleProgress.Create(console, new StringWriter());
        Assert.IsType<LiveConsoleProgress>(progress);

        // Calls from a thread-pool thread, batches faster than the display refreshes.
        await Task.Run(() =>
        {
            FakeRun(progress, stepDelay: null, finish: false);
            for (var i = 0; i < 10_000; i++) progress.BatchCompleted(i % 7 + 1, 0.1);
            FakeRun(progress, stepDelay: null, finish: true);
        }).WaitAsync(TimeSpan.FromSeconds(20));
        progress.Dispose();
        progress.Message("after the end"); // still printed, without a display

        var text = buffer.ToString();
        Assert.Contains("Epoch 2/2  loss 0.4000  acc 0.8000  lr 0.002  1.4s  lr 0.01 -> 0.002 (plateau); checkpoint saved", text);
        Assert.Contains("Epoch 2: ReduceLROnPlateau reducing learning rate to 0.002.", text);
        Assert.Contains("  run folder:  runs/r1", text);
        Assert.Contains("after the end", text);
        Assert.True(text.IndexOf("Run r1 stopped", StringComparison.Ordinal) > text.LastIndexOf("Epoch 2/2  loss", StringComparison.Ordinal));
    }

    private static void FakeRun(ITrainingProgress progress, Action? stepDelay, bool finish = true)
    {
        progress.EpochStarted(0, 2, 8, 0.01);
        for (var step = 1; step <= 8; step++)
        {
            stepDelay?.Invoke();
            progress.BatchCompleted(step, 1.0 / step);
        }
        progress.EpochCompleted(EpochLine.Format(new EpochRecord(0, 0.01, 0.6931, 0.5, double.NaN, double.NaN, 1.5), 2));
        progress.Message("Epoch 2: ReduceLROnPlateau reducing learning rate to 0.002.");
        progress.EpochStarted(1, 2, 12, 0.002);
        for (var step = 1; step <= 12; step++)
        {
            stepDelay?.Invoke();
            progress.BatchCompleted(step, 1.0 / step);
        }
        progress.EpochCompleted(EpochLine.Format(
            new EpochRecord(1, 0.002, 0.4, 0.8, double.NaN, double.NaN, 1.4), 2,
            [EpochLine.LrChangeNote(new LrChangeRecord(2, 0.01, 0.002, "plateau")), "checkpoint saved"]));
        if (!finish) return;
        var summary = new RunSummary(
            "r1", RunStatus.Stopped, 2, 1, "max epochs", "val_loss", 1, 0.45, FinalMetrics.Of(0.4, 0.8, 0.45, 0.79),
            1, "none", 3.21, [], [], [], "model.bin");
        progress.Finished(summary, "runs/r1", "runs/r1/model.bin");
    }

    private static string[] Lines(StringWriter output) =>
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
