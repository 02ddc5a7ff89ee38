using Coordinator.Core.Reporting;

namespace Coordinator.Reporting;

/// <summary>
/// Progress for redirected output (a log file, CI): plain lines, no ANSI codes. One line per epoch;
/// within an epoch at most a line per quarter (25%, 50%, 75%), and only once the epoch has run
/// longer than <c>quietPeriod</c> (10 s by default), so fast epochs print their line alone.
/// </summary>
public sealed class PlainConsoleProgress : ITrainingProgress
{
    private readonly TextWriter _out;
    private readonly TimeSpan _quietPeriod;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private int _epoch, _totalEpochs, _steps, _quartersShown;
    private long _epochStarted;

    public PlainConsoleProgress(TextWriter output, TimeSpan? quietPeriod = null, TimeProvider? time = null)
    {
        _out = output ?? throw new ArgumentNullException(nameof(output));
        _quietPeriod = quietPeriod ?? TimeSpan.FromSeconds(10);
        _time = time ?? TimeProvider.System;
    }

    public void EpochStarted(int epoch, int totalEpochs, int steps, double lr)
    {
        lock (_lock)
        {
            (_epoch, _totalEpochs, _steps, _quartersShown) = (epoch, totalEpochs, steps, 0);
            _epochStarted = _time.GetTimestamp();
        }
    }

    public void BatchCompleted(int step, double runningLoss)
    {
        lock (_lock)
        {
            if (_steps <= 0 || step >= _steps) return; // the epoch's own line follows
            var quarter = (int)Math.Min(3, 4L * step / _steps);
            if (quarter <= _quartersShown) return;
            if (_time.GetElapsedTime(_epochStarted) < _quietPeriod) return;
            _quartersShown = quarter;
            WriteLine(EpochLine.Partial(_epoch, _totalEpochs, step, _steps, runningLoss));
        }
    }

    public void EpochCompleted(string line)
    {
        lock (_lock)
        {
            _steps = 0;
            WriteLine(line);
        }
    }

    public void Message(string message)
    {
        lock (_lock) WriteLine(message);
    }

    public void Finished(RunSummary summary, string runFolder, string? finalModelPath)
    {
        lock (_lock)
        {
            foreach (var line in SummaryBlock.Lines(summary, runFolder, finalModelPath)) WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            try { _out.Flush(); }
            catch (IOException) { }
            catch (ObjectDisposedException) { }
        }
    }

    private void WriteLine(string line)
    {
        try
        {
            _out.Write(line);
            _out.Write('\n');
            _out.Flush();
        }
        catch (IOException) { }            // a closed pipe must not stop training
        catch (ObjectDisposedException) { }
    }
}
