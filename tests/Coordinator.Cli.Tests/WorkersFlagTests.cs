using Coordinator.Actors.TestSupport;
using Coordinator.Cli.Train;
using Coordinator.Configuration;

namespace Coordinator.Cli.Tests;

/// <summary>
/// <c>--workers</c> is read as a line after the file's own, so the settings that default to the
/// number of workers (min-workers, max-workers) follow it, as they do in the run.conf a resume reads.
/// </summary>
public sealed class WorkersFlagTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Unset_min_and_max_workers_follow_the_flag(int workers)
    {
        var training = TrainingHost.Prepare(new TrainOptions(TestFiles.DigitsConf, Workers: workers)).Settings.Training;
        Assert.Equal((workers, workers, workers), (training.Workers, training.MinWorkers, training.MaxWorkers));
        Assert.Equal(16 * workers, training.GlobalBatch);
    }

    [Fact]
    public void A_configured_min_workers_above_the_flag_is_refused_naming_both()
    {
        var conf = _temp.File("min3.conf", TestFiles.DigitsConfText(t => TestFiles.ReplaceOnce(t, "workers = 2", "workers = 3\n  min-workers = 3")));
        var error = Assert.Throws<ConfigurationError>(() => TrainingHost.Prepare(new TrainOptions(conf, Workers: 2)));
        Assert.Equal(("training.min-workers", "3"), (error.Field, error.Value));
        Assert.Contains("training.workers (2)", error.Message);
    }

    [Fact]
    public void The_run_conf_gives_back_the_same_training_settings()
    {
        var prepared = TrainingHost.Prepare(new TrainOptions(TestFiles.DigitsConf, Workers: 1, Epochs: 3));
        var copy = _temp.File("run.conf", RunFolder.EffectiveConfig(prepared.Config.Text, prepared.Settings));
        Assert.Equal(prepared.Settings.Training, RunConfigReader.ReadFile(copy).Settings.Training);
    }
}
