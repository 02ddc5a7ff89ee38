using Coordinator.Actors.TestSupport;
using Coordinator.Cli.Train;
using Coordinator.Configuration;

namespace Coordinator.Cli.Tests;

/// <summary>
/// The seed decides the split, the data order and the initial weights, so a run is reproducible
/// (and resumable from its run.conf) only if the seed read is exactly the seed written.
/// </summary>
public sealed class SeedConfigTests : IDisposable
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
        var prepared = TrainingHost.Prepare(new TrainOptions(TestFiles.DigitsConf, Seed: seed));
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
}
