using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cluster.Tests.Failover;

internal static class ClusterAssertions
{
    /// <summary>The run completed, its start recorded the data's fingerprint, and the journal holds each epoch's decision exactly once (an epoch
    /// restarted or resumed is decided once, when it completes; nothing was rewound).</summary>
    public static RunCompleted CompletedWithEachEpochOnce(IReadOnlyList<IRunEvent> events)
    {
        var completed = Assert.Single(events.OfType<RunCompleted>());
        // The run records what it started with, as train does: its data's SHA-256 and its settings.
        var started = Assert.Single(events.OfType<RunStarted>());
        Assert.Matches("^[0-9a-f]{64}$", started.DataSha256 ?? "");
        Assert.Contains("training.epochs", started.Settings?.Keys ?? []);
        Assert.Empty(events.OfType<RunRewound>());
        var epochs = events.OfType<EpochCompleted>().Select(e => e.Epoch).ToList();
        Assert.NotEmpty(epochs);
        Assert.Equal(Enumerable.Range(0, epochs.Count), epochs); // 0, 1, 2, ... each once, in order
        var rateChanges = events.OfType<LearningRateChanged>().Select(c => c.Epoch).ToList();
        Assert.Equal(rateChanges.Distinct(), rateChanges);
        Assert.True(events.OfType<TrainingStopped>().Count() <= 1);
        return completed;
    }

    public static void AsGoodAsUndisturbed(double valAccuracy, double undisturbed) =>
        Assert.True(Math.Abs(valAccuracy - undisturbed) <= 0.01,
            $"final val_accuracy {valAccuracy:0.0000}, undisturbed {undisturbed:0.0000}: more than 1 point apart");
}
