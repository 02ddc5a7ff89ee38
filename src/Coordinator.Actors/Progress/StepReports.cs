using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Progress;

/// <summary>
/// Coalesces an epoch's step reports: every step's running loss reaches subscribers (TensorBoard's batch scalars need
/// each one), several to a message, at most one message per <c>interval</c> plus one at the epoch's last step; whatever
/// is pending goes out before any other progress (<see cref="Flush"/>), so order is kept.
/// </summary>
public sealed class StepReports(TimeSpan interval, Func<TimeSpan> clock)
{
    private readonly List<double> _pending = [];
    private int _epoch, _firstStep, _stepsPerEpoch;
    private TimeSpan? _lastSent;

    /// <summary>A new epoch of <paramref name="steps"/> steps begins.</summary>
    public void EpochBegan(int steps) => _stepsPerEpoch = steps;

    /// <summary>Takes one step's report; returns the message to publish now, if one is due.</summary>
    public RunProgress.StepsReported? Add(int epoch, int step, double runningLoss)
    {
        var flushed = _pending.Count > 0 && (epoch != _epoch || step != _firstStep + _pending.Count) ? Flush() : null;
        if (_pending.Count == 0) (_epoch, _firstStep) = (epoch, step);
        _pending.Add(runningLoss);
        var now = clock();
        if (flushed is not null) return flushed; // a break in the sequence (an attempt started again): sent on the next report
        if (_lastSent is { } last && now - last < interval && step + 1 < _stepsPerEpoch) return null;
        _lastSent = now;
        return Flush();
    }

    /// <summary>The pending steps as one message (null if none).</summary>
    public RunProgress.StepsReported? Flush()
    {
        if (_pending.Count == 0) return null;
        var message = new RunProgress.StepsReported(_epoch, _firstStep, _pending.ToArray());
        _pending.Clear();
        return message;
    }
}
