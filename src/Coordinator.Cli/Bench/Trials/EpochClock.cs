using System.Diagnostics;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;

namespace Coordinator.Cli.Bench.Trials;

/// <summary>
/// The run's progress as a clock: the time of the first epoch's start and of every epoch's end as
/// the run's observer receives them (epoch k's time is from the end of k-1 to the end of k).
/// </summary>
public sealed class EpochClock : ITrainingProgress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private readonly List<double> _ends = [];
    private double? _firstStart;

    public IReadOnlyList<double> EpochSeconds
    {
        get
        {
            lock (_gate)
            {
                var seconds = new List<double>();
                var previous = _firstStart ?? 0;
                foreach (var end in _ends)
                {
                    seconds.Add(end - previous);
                    previous = end;
                }
                return seconds;
            }
        }
    }

    public List<string> Messages { get; } = [];

    public void EpochStarted(int epoch, int totalEpochs, int steps, double lr)
    {
        lock (_gate) _firstStart ??= _clock.Elapsed.TotalSeconds;
    }

    public void BatchCompleted(int step, double runningLoss)
    {
    }

    public void EpochCompleted(string line)
    {
        lock (_gate) _ends.Add(_clock.Elapsed.TotalSeconds);
    }

    public void Message(string message)
    {
        lock (_gate) Messages.Add(message);
    }

    public void Finished(RunSummary summary, string runFolder, string? finalModelPath)
    {
    }

    public void Dispose()
    {
    }
}
