using System.Collections.Concurrent;
using Coordinator.Testing.Results;

namespace Coordinator.Testing.Simulation;

/// <summary>Collects what the simulated workers do, in the order they record it (shared by the workers of one scenario).</summary>
internal sealed class ActivityRecorder(VirtualClock clock)
{
    private readonly ConcurrentQueue<WorkerActivity> _log = new();
    private readonly ConcurrentQueue<string> _faults = new();

    public TimeSpan Now => clock.Now;

    public void Add(WorkerActivity activity) => _log.Enqueue(activity);

    /// <summary>A fault of the scenario took effect (for the result's list of faults that happened).</summary>
    public void Fault(string description) => _faults.Enqueue(description);

    public IReadOnlyList<WorkerActivity> Activity => _log.ToArray();

    public IReadOnlyList<string> Faults => _faults.ToArray();
}
