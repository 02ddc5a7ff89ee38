using Coordinator.Actors.Protocol;
using Coordinator.Actors.State;
using Coordinator.Actors.Supervision;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Tests.Decider;

/// <summary>Runs and reports as plain data, for the decider's tests (no actor system).</summary>
internal static class DeciderFixtures
{
    public static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static SupervisorSettings Settings(int workers = 2, int epochs = 10, int minWorkers = 1, int maxRestarts = 1, bool changesEpochLimit = false) =>
        new("run-1", "/tmp/decider-run", workers, epochs, 4, [], 0.01, "gradients", 42, "config-sha", TimeSpan.FromSeconds(30))
        {
            Membership = new Core.MembershipLimits(minWorkers, workers + 1, maxRestarts), ChangesEpochLimit = changesEpochLimit,
        };

    public static RunState Run(params IRunEvent[] events) =>
        events.Aggregate(RunState.Bounded(3), (state, e) => state.Apply(e));

    public static RunStarted Started(int workers = 2, int epochs = 10) =>
        new("run-1", workers, "gradients", 42, epochs, 0.01, 10, "config-sha", Now);

    public static EpochCompleted Epoch(int epoch) =>
        new(epoch, 0.01, new Dictionary<string, double> { ["loss"] = 1.0 / (epoch + 1) }, 1, 4, 0, "{}");

    public static StoredFile File(string name) => new($"state/{name}", $"sha-{name}", 100);

    public static ResumeStateSaved ResumeState(int epoch, params StoredFile[] files) => new(epoch, files);

    public static WorkerReports.EpochTrained Report(int worker, int epoch = 0, string hash = "h") =>
        new(worker, epoch, 4, [new("loss", 2.0 * (worker + 1), 4), new("accuracy", 3, 4)], [new("loss", 1.0, 2), new("accuracy", 2, 2)], 0, hash, 7);
}
