using Coordinator.Actors.TestSupport;
using Coordinator.Cli.Hosting;
using Coordinator.Core.Storage;
using Coordinator.Reporting;
using Coordinator.Testing.Persistence;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.Tests;

/// <summary>
/// Where checkpoints go: a relative filepath inside the run folder (recorded relative to it, so the folder
/// can move), an absolute one where it says (recorded absolute, as Keras users write
/// <c>filepath='/tmp/checkpoint'</c>). The refusals are bad input (BadInputTests).
/// </summary>
public sealed class CheckpointPathTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void An_absolute_checkpoint_path_is_written_there_and_recorded_as_it_is()
    {
        var outside = _temp.Combine("my-checkpoints");
        var conf = _temp.File("abs.conf", TestFiles.DigitsConfText(t =>
            TestFiles.ReplaceOnce(t, "\"ckpt-{epoch:02d}-{val_loss:.4f}.weights\"", $"\"{outside}/e{{epoch:02d}}.weights\"")));
        var runDir = _temp.Combine("run");
        var result = Cli.Run("train", "--config", conf, "--run-dir", runDir, "--epochs", "2");
        output.WriteLine(result.Out + result.Err);
        Assert.Equal(ExitCodes.Ok, result.Exit);

        var events = JournalEvents.Read(AkkaConfig.ForSqlite(Path.Combine(runDir, "journal.db"), null), "run-run");
        var saved = events.OfType<CheckpointSaved>().ToList();
        Assert.Equal([Path.Combine(outside, "e01.weights"), Path.Combine(outside, "e02.weights")], saved.Select(s => s.Path));
        Assert.All(saved, s => Assert.Equal(s.Sha256, AtomicFile.Sha256Of(s.Path)));
        Assert.Equal("final.weights", Assert.IsType<RunCompleted>(events[^1]).FinalModelPath);
        Assert.Equal(Path.Combine(outside, "e01.weights"), SummaryJson.Read(runDir).Checkpoints[0].Path);
    }
}
