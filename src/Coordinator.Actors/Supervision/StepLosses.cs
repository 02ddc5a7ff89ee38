using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Supervision;

/// <summary>
/// Collects the workers' batch losses step by step and yields, for each step that every worker
/// has reported (in order), Keras's batch log: the running mean loss of the epoch so far.
/// </summary>
internal sealed class StepLosses(int workers)
{
    private readonly Dictionary<int, List<WorkerReports.BatchTrained>> _steps = [];
    private int _nextStep;
    private double _lossSum;
    private long _count;

    public IReadOnlyList<(int Step, double RunningLoss)> Add(WorkerReports.BatchTrained report)
    {
        var completed = new List<(int, double)>();
        if (!_steps.TryGetValue(report.Step, out var list)) _steps[report.Step] = list = [];
        list.Add(report);
        while (_steps.TryGetValue(_nextStep, out var done) && done.Count == workers)
        {
            _steps.Remove(_nextStep);
            _lossSum += done.Sum(r => r.LossSum);
            _count += done.Sum(r => r.Count);
            completed.Add((_nextStep, _count == 0 ? double.NaN : _lossSum / _count));
            _nextStep++;
        }
        return completed;
    }
}
