using Coordinator.Callbacks;
using Coordinator.Testing.Results;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Testing.Tests;

/// <summary>The same scenario gives the same run every time: decisions, events and what every worker was told, at the same virtual times.</summary>
public sealed class DeterminismTests
{
    private static readonly Scenario Eventful = Scenario.WithCallbacks(
            new TerminateOnNaNSettings(),
            new ReduceLrOnPlateauSettings { Monitor = "val_loss", Patience = 2, Factor = 0.5 },
            new EarlyStoppingSettings { Monitor = "val_loss", Patience = 6, RestoreBestWeights = true },
            new ModelCheckpointSettings("ckpt-{epoch:02d}-{val_loss:.4f}.weights") { Monitor = "val_loss", SaveBestOnly = true, SaveTopK = 2 })
        .Metrics(Curves.FallThenRise(30, bestAt: 12)).Workers(4).MinWorkers(2).MaxRestarts(3).StepsPerEpoch(3).SnapshotEvery(10)
        .LoseWorker(3, atEpoch: 2, atBatch: 1).JoinWorker(registersAtEpoch: 4).SlowWorker(1, atEpoch: 5, takes: TimeSpan.FromMinutes(1))
        .RestartSupervisor(afterEpoch: 7).FailWorker(0, atEpoch: 9, reason: "out of memory", atBatch: 2);

    [Fact]
    public void Running_a_scenario_twice_gives_the_same_run()
    {
        var first = Eventful.Run();
        var second = Eventful.Run();

        second.AssertSameDecisionsAs(first);
        Assert.Equal(first.Events.Select(Normalized), second.Events.Select(Normalized));
        foreach (var worker in first.Activity.Select(a => a.Worker).Distinct())
            Assert.Equal(first.ActivityOf(worker), second.ActivityOf(worker));
        Assert.Equal(first.Faults, second.Faults);
        Assert.Equal(first.VirtualTime, second.VirtualTime);
        // It is an eventful run: every fault happened.
        Assert.Equal(5, first.Faults.Count);
        Assert.Equal([2, 9], first.Restarts.Select(r => r.Epoch));
    }

    // Wall-clock fields differ from run to run; everything else must not.
    private static string Normalized(IRunEvent e) => System.Text.Json.JsonSerializer.Serialize(e switch
    {
        RunStarted s => s with { At = default },
        RunResumed r => r with { At = default },
        EpochCompleted c => c with { Seconds = 0 },
        RunCompleted c => c with { WallSeconds = 0 },
        RunFailed f => f with { WallSeconds = 0 },
        _ => e,
    }, e.GetType());
}
