using Coordinator.Actors.TestSupport;
using Coordinator.Cli.Train;
using Coordinator.Configuration;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;

namespace Coordinator.Cli.Tests;

/// <summary>
/// Coordinator.Hosting called as a program of its own would call it, without the command line: a run of a
/// configuration given in code, awaited with a token; and <c>coordinator bench</c>, which now names its executable.
/// </summary>
public sealed class HostingApiTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static RunConfig Digits(int epochs) =>
        RunConfigReader.Parse(TestFiles.DigitsConfText() + $"\ntraining.epochs = {epochs}\n", Path.GetDirectoryName(TestFiles.DigitsConf)!);

    [Fact]
    public void A_run_of_a_configuration_in_code_returns_the_summary_it_writes()
    {
        var folder = Path.Combine(_temp.Path, "run");
        using var progress = new PlainConsoleProgress(TextWriter.Null);

        var result = new TrainingHost(progress).Run(new TrainingRequest.NewRun(Digits(epochs: 2), RunDir: folder));

        Assert.Equal(folder, result.Folder);
        var summary = Assert.IsType<RunSummary>(result.Summary);
        Assert.Equal((RunStatus.Completed, 2), (summary.Status, summary.EpochsRun));
        var written = SummaryJson.Read(Path.Combine(folder, SummaryJson.FileName));
        Assert.Equal((summary.RunId, summary.Status, summary.EpochsRun), (written.RunId, written.Status, written.EpochsRun));
    }

    [Fact]
    public void A_cancelled_run_returns_no_summary_and_stays_resumable()
    {
        var folder = Path.Combine(_temp.Path, "run");
        using var progress = new PlainConsoleProgress(TextWriter.Null);

        var result = new TrainingHost(progress).Run(new TrainingRequest.NewRun(Digits(epochs: 50), RunDir: folder), new CancellationToken(canceled: true));

        Assert.True(result.Interrupted);
        Assert.True(File.Exists(Path.Combine(folder, RunFolder.ConfigCopy)));
        Assert.False(File.Exists(Path.Combine(folder, SummaryJson.FileName)));
    }

    [Theory]
    [InlineData("bench")]
    [InlineData("bench", "--quick", "--json", "x.json")]
    public void Bench_names_the_executable_it_moved_to_and_exits_2(params string[] args)
    {
        var result = Cli.Run(args);

        Assert.Equal(ExitCodes.BadInput, result.Exit);
        Assert.Contains("coordinator-bench", result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }
}
