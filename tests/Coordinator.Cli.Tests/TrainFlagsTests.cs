using Coordinator.Actors.TestSupport;
using Coordinator.Cli.Train;
using Coordinator.Configuration;

namespace Coordinator.Cli.Tests;

/// <summary>
/// The command line's flags over the configuration file, and what run.conf records of them. The seed
/// decides the split, the data order and the initial weights, so a run is reproducible (and
/// resumable from its run.conf) only if the seed read is exactly the seed written. <c>--workers</c>
/// is read as a line after the file's own, so the settings that default to the number of workers
/// (min-workers, max-workers) follow it, as they do in the run.conf a resume reads.
/// </summary>
public sealed class TrainFlagsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string ConfWithSeed(string seed) =>
        _temp.File($"seed-{Guid.NewGuid():N}.conf", TestFiles.DigitsConfText(t => TestFiles.ReplaceOnce(t, "seed = 42", $"seed = {seed}")));

    [Theory]
    [InlineData(7L)]
    [InlineData(-3L)]
    [InlineData(9_007_199_254_740_993L)] // 2^53 + 1: not a double
    [InlineData(long.MaxValue)]
    public void A_whole_seed_in_the_configuration_is_read_exactly(long seed)
    {
        var read = RunConfigReader.ReadFile(ConfWithSeed(seed.ToString())).Settings.Training.Seed;
        Assert.Equal(seed, read);
    }

    [Fact]
    public void The_seed_of_a_run_survives_its_run_conf()
    {
        // --seed is parsed as a long; run.conf must give the same seed back (a resume reads it).
        const long seed = 9_007_199_254_740_993L;
        var prepared = TrainConfig.Prepare(new TrainOptions(TestFiles.DigitsConf, Seed: seed));
        Assert.Equal(seed, prepared.Settings.Training.Seed);
        var copy = _temp.File("run.conf", RunFolder.EffectiveConfig(prepared.Config.Text, prepared.Settings));
        Assert.Equal(seed, RunConfigReader.ReadFile(copy).Settings.Training.Seed);
    }

    [Theory]
    [InlineData("42.5")]
    [InlineData("1e30")]
    public void A_seed_that_is_not_a_whole_64_bit_number_is_refused(string seed)
    {
        var error = Assert.Throws<ConfigurationError>(() => RunConfigReader.ReadFile(ConfWithSeed(seed)));
        Assert.Equal("training.seed", error.Field);
        Assert.Equal(seed, error.Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Unset_min_and_max_workers_follow_the_flag(int workers)
    {
        var training = TrainConfig.Prepare(new TrainOptions(TestFiles.DigitsConf, Workers: workers)).Settings.Training;
        Assert.Equal((workers, workers, workers), (training.Workers, training.Membership.MinWorkers, training.Membership.MaxWorkers));
        Assert.Equal(16 * workers, training.GlobalBatch);
    }

    [Fact]
    public void A_configured_min_workers_above_the_flag_is_refused_naming_both()
    {
        var conf = _temp.File("min3.conf", TestFiles.DigitsConfText(t => TestFiles.ReplaceOnce(t, "workers = 2", "workers = 3\n  min-workers = 3")));
        var error = Assert.Throws<ConfigurationError>(() => TrainConfig.Prepare(new TrainOptions(conf, Workers: 2)));
        Assert.Equal(("training.min-workers", "3"), (error.Field, error.Value));
        Assert.Contains("training.workers (2)", error.Message);
    }

    [Fact]
    public void Set_overrides_any_value_of_the_file_and_the_run_conf_keeps_it()
    {
        var prepared = TrainConfig.Prepare(new TrainOptions(TestFiles.DigitsConf, Epochs: 3,
            Sets: ["training.batch-size=8", "model.hidden=[32, 16]", "optimizer.learning-rate=0.02", "training.epochs=7"]));
        Assert.Equal((8, 3), (prepared.Settings.Training.BatchSize, prepared.Settings.Training.Epochs)); // --epochs wins over --set
        Assert.Equal([32, 16], prepared.Settings.Model.Hidden);
        Assert.Equal(0.02, prepared.Settings.Optimizer.LearningRate);
        var copy = _temp.File("run.conf", RunFolder.EffectiveConfig(prepared.Config.Text, prepared.Settings));
        var again = RunConfigReader.ReadFile(copy).Settings;
        Assert.Equal((prepared.Settings.Training, 0.02), (again.Training, again.Optimizer.LearningRate));
        Assert.Equal([32, 16], again.Model.Hidden);
    }

    [Fact]
    public void The_run_conf_gives_back_the_same_training_settings()
    {
        var prepared = TrainConfig.Prepare(new TrainOptions(TestFiles.DigitsConf, Workers: 1, Epochs: 3));
        var copy = _temp.File("run.conf", RunFolder.EffectiveConfig(prepared.Config.Text, prepared.Settings));
        Assert.Equal(prepared.Settings.Training, RunConfigReader.ReadFile(copy).Settings.Training);
    }
}
