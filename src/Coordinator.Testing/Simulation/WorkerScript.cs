using Coordinator.Testing.Scripts;

namespace Coordinator.Testing.Simulation;

/// <summary>Something the scenario makes a worker do at an epoch (each happens once per worker).</summary>
internal abstract record WorkerFault(string Worker, int Epoch)
{
    /// <summary>The worker stops (as its process dies) before reporting <see cref="Batch"/>; with a
    /// <see cref="Reason"/> it first reports WorkerFailed, as a worker whose replica failed does.</summary>
    public sealed record Lose(string Worker, int Epoch, int Batch, string? Reason) : WorkerFault(Worker, Epoch);

    /// <summary>The worker's report of the epoch comes <see cref="Takes"/> (virtual time) after its last step.</summary>
    public sealed record Slow(string Worker, int Epoch, TimeSpan Takes) : WorkerFault(Worker, Epoch);

    /// <summary>The worker's loss is NaN at this batch (and so is its share of the epoch's loss).</summary>
    public sealed record NaNLoss(string Worker, int Epoch, int Batch) : WorkerFault(Worker, Epoch);
}

/// <summary>What one simulated worker plays.</summary>
/// <param name="HoldEpochs">Epochs at which the worker waits, before its first step, for the runner to do what
/// the scenario does there (a worker registers, the supervisor is restarted).</param>
/// <param name="StopLag">Steps a worker still plays after it learns that the supervisor stopped the epoch.</param>
/// <param name="Joiner">Registers only when the runner says so.</param>
internal sealed record WorkerScript(
    string Name, MetricScript Metrics, int StepsPerEpoch, IReadOnlyList<WorkerFault> Faults, IReadOnlySet<int> HoldEpochs,
    int StopLag, bool Joiner);
