using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Supervision;

/// <summary>
/// Collects the workers' batch losses step by step and yields, for each step that every worker
/// has reported (in order), Keras's batch log: the running mean loss of the epoch so far.
/// </summary>
internal sealed class StepLosses(int workers)
{
    // Per step not yet complete: how many workers reported it, their loss sum and sample count.
    // Plain sums, no lists: this runs for every batch report of every worker (benchmark B4).
    private readonly Dictionary<int, (int Reports, double LossSum, long Count)> _pending = [];
    private readonly List<(int Step, double RunningLoss)> _completed = [];
    private int _nextStep;
    private double _lossSum;
    private long _count;

    /// <summary>The steps this report completed, in order (the list is reused: read it before the next call).</summary>
    public IReadOnlyList<(int Step, double RunningLoss)> Add(WorkerReports.BatchTrained report)
    {
        _completed.Clear();
        var (reports, loss, count) = _pending.GetValueOrDefault(report.Step);
        _pending[report.Step] = (reports + 1, loss + report.LossSum, count + report.Count);
        while (_pending.TryGetValue(_nextStep, out var done) && done.Reports == workers)
        {
            _pending.Remove(_nextStep);
            _lossSum += done.LossSum;
            _count += done.Count;
            _completed.Add((_nextStep, _count == 0 ? double.NaN : _lossSum / _count));
            _nextStep++;
        }
        return _completed;
    }
}
