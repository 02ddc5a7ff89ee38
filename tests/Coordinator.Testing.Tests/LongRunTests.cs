using Coordinator.Callbacks;
using Coordinator.Testing.Results;
using Coordinator.Testing.Scripts;
using Xunit.Abstractions;

namespace Coordinator.Testing.Tests;

/// <summary>A long scenario runs to its end with every decision in place (its time is printed, not asserted).</summary>
public sealed class LongRunTests(ITestOutputHelper output)
{
    [Fact]
    public void A_scenario_of_100_epochs_with_4_workers_runs_to_its_end()
    {
        var result = Scenario.WithCallbacks(
                new ReduceLrOnPlateauSettings { Monitor = "val_loss", Patience = 4, Factor = 0.5, MinLr = 1e-4 },
                new ModelCheckpointSettings("ckpt-{epoch:03d}.weights") { Monitor = "val_loss", SaveBestOnly = true, SaveTopK = 3 })
            .Metrics(MetricScript.Of(100, e => new EpochMetrics(2.0 / (1 + e), 0.9, e < 60 ? 2.0 / (1 + e) + 0.01 : 0.05, 0.8)))
            .Workers(4).Run();

        result.AssertCompleted().AssertReplicasConsistent().AssertRate(0.01, fromEpoch: 0, untilEpoch: 63).AssertRateChangedAt(63, 67, 71, 75, 79, 83, 87);
        Assert.Equal(100, result.Epochs.Count);
        Assert.Equal(3, result.Checkpoints.Count(c => !c.Deleted));
        output.WriteLine($"100 epochs x 4 workers: {result.WallTime.TotalMilliseconds:0} ms (real time, actor system included)");
    }
}
