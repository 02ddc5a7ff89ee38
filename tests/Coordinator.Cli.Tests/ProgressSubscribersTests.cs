using System.Globalization;
using Akka.TestKit.Xunit2;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.TestSupport;
using Coordinator.Cli.Train;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;
using Xunit.Abstractions;

namespace Coordinator.Cli.Tests;

/// <summary>The run's progress has many subscribers: beside the console's, any other sees the whole run.</summary>
public sealed class ProgressSubscribersTests(ITestOutputHelper output) : TestKit(TestConfig.Create(), "progress-subscribers", output)
{
    [Fact]
    public async Task A_second_subscriber_sees_every_epoch_of_a_run_alongside_the_console()
    {
        const int epochs = 4;
        var runId = Guid.NewGuid().ToString("N")[..8];
        var console = new StringWriter();
        var outcome = new TaskCompletionSource<RunOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        ProgressBridge.Start(Sys, Sys.EventStream, runId, new PlainConsoleProgress(console), outcome);

        // The harness's observer is the second subscriber: a TestProbe given the run's progress from the event stream.
        var run = new RunHarness(this, workers: 2, batchSize: 8, epochs: epochs, callbacks: [], runId: runId);
        var (summary, progress) = run.Finish();

        Assert.Equal(RunStatus.Completed, summary.Status);
        var summarized = progress.OfType<RunProgress.EpochSummarized>().ToList();
        Assert.Equal(Enumerable.Range(0, epochs), summarized.Select(e => e.Epoch));
        Assert.All(summarized, e => Assert.Contains("val_loss", e.Logs.Keys));
        Assert.Equal(Enumerable.Range(0, epochs), progress.OfType<RunProgress.EpochBegan>().Select(e => e.Epoch));
        // Every step of every epoch, though several may share a message.
        var steps = progress.OfType<RunProgress.StepsReported>().SelectMany(s => s.Steps.Select(x => (s.Epoch, x.Step))).ToList();
        Assert.Equal(Enumerable.Range(0, epochs).SelectMany(e => Enumerable.Range(0, run.Settings.StepsPerEpoch).Select(s => (e, s))), steps);
        Assert.IsType<RunProgress.RunBegan>(progress.OfType<RunProgress.Update>().First());

        // The console subscriber, on the same stream, printed a line for each of those epochs and saw the end.
        var seen = await outcome.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(RunStatus.Completed, seen.Summary!.Status);
        var lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(summarized.Select(e => $"Epoch {e.Epoch + 1}/{epochs}  loss {e.Logs["loss"].ToString("0.0000", CultureInfo.InvariantCulture)}"),
            lines.Where(l => l.StartsWith("Epoch ", StringComparison.Ordinal)).Select(l => string.Join("  ", l.Split("  ").Take(2))));
    }
}
