using System.Diagnostics;
using Akka.Actor;
using Coordinator.Actors.Supervision.Decider;
using Coordinator.Callbacks;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision;

// The working state of the epoch in flight (not persisted: an interrupted epoch is trained again).
public sealed partial class TrainingSupervisor
{
    /// <summary>The epoch being trained or ended: its attempt (the version its commands carry), its barrier, the
    /// batch losses, the callbacks' decisions so far, its clock, and whether the callbacks stopped it at a batch.</summary>
    private sealed class EpochInFlight(int epoch, long attempt, IActorRef barrier, int members)
    {
        public StepLosses Steps { get; } = new(members);
        public int Epoch { get; } = epoch;
        public long Attempt { get; } = attempt;
        public IActorRef Barrier { get; } = barrier;
        public List<CallbackDecision> Decisions { get; } = [];
        public Stopwatch Clock { get; } = Stopwatch.StartNew();
        public bool StopSent { get; set; }
        public EpochEndWork? End { get; set; }
    }

    /// <summary>The epoch end in progress: the plan, how far its files are, the events and deletions so far.</summary>
    private sealed class EpochEndWork(EpochEndDecider.EpochEndPlan plan)
    {
        public EpochEndDecider.EpochEndPlan Plan { get; } = plan;
        public int NextFile { get; set; }
        public List<IRunEvent> Events { get; } = [.. plan.Events];
        public List<string> Deletions { get; } = [];
    }
}
