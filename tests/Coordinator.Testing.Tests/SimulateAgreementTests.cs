using Coordinator.Configuration;
using Coordinator.Simulation;
using Coordinator.Testing.Scripts;

namespace Coordinator.Testing.Tests;

/// <summary>
/// The same callbacks and metrics give the same decisions through the real supervisor (a scenario) as through
/// <c>coordinator simulate</c>, which replays them through the callback engine alone: the README's example files.
/// </summary>
public sealed class SimulateAgreementTests
{
    private static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "examples", name);

    [Fact]
    public void A_scenario_decides_as_simulate_does_on_the_same_files()
    {
        var callbacks = CallbackConfigReader.ReadFile(Example("callbacks.example.conf"));
        var table = MetricCsvReader.ReadEpochs(Example("metrics.example.csv"));
        var simulated = new List<SimulatedEpoch>();
        var summary = new Simulator(new SimulationOptions(callbacks, table, Workers: 2)).Run(simulated.Add, _ => { });

        var result = Scenario.WithCallbacksFromFile(Example("callbacks.example.conf")).Metrics(Example("metrics.example.csv")).Workers(2).Run();

        Assert.Equal(simulated.Select(e => e.LearningRate), result.Epochs.Select(e => e.LearningRate));
        Assert.Equal(simulated.Select(e => string.Join(",", e.Saved)),
            result.Epochs.Select(e => string.Join(",", result.Checkpoints.Where(c => c.Epoch == e.Epoch).Select(c => c.File))));
        Assert.Equal(summary.EpochsRun, result.Epochs.Count);
        Assert.Equal(summary.StopReason?.Message, result.Stop?.Reason);
        Assert.Equal(summary.RestoredWeightsEpoch, result.RestoredWeightsEpoch);
        Assert.NotNull(result.Stop); // the example stops early and restores: the comparison covers both
        Assert.NotNull(result.RestoredWeightsEpoch);
    }

    [Fact]
    public void A_callbacks_file_with_a_misspelled_top_level_key_is_refused_as_simulate_refuses_it()
    {
        var file = Path.Combine(Path.GetTempPath(), $"callback-typo-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, "callback = [ { type = early-stopping } ]");
        try
        {
            var e = Assert.Throws<ConfigurationError>(() => Scenario.WithCallbacksFromFile(file));
            Assert.Equal("callback", e.Field);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
