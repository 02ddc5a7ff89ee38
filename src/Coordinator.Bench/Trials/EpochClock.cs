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
    private readonly List<double> _cpuAtEnds = [];
    private double? _firstStart;
    private double _cpuAtFirstStart;

    public IReadOnlyList<double> EpochSeconds
    {
        get
        {
            lock (_gate) return Differences(_firstStart ?? 0, _ends);
        }
    }

    /// <summary>CPU time of the whole process (every thread: workers, actors, GC, journal) per epoch.</summary>
    public IReadOnlyList<double> EpochCpuSeconds
    {
        get
        {
            lock (_gate) return Differences(_cpuAtFirstStart, _cpuAtEnds);
        }
    }

    public static double ProcessCpuSeconds => Environment.CpuUsage.TotalTime.TotalSeconds;

    private static List<double> Differences(double start, List<double> marks)
    {
        var result = new List<double>();
        foreach (var mark in marks)
        {
            result.Add(mark - start);
            start = mark;
        }
        return result;
    }

    public List<string> Messages { get; } = [];

    public void EpochStarted(int epoch, int totalEpochs, int steps, double lr)
    {
        lock (_gate)
        {
            if (_firstStart is not null) return;
            _firstStart = _clock.Elapsed.TotalSeconds;
            _cpuAtFirstStart = ProcessCpuSeconds;
        }
    }

    public void BatchCompleted(int step, double runningLoss)
    {
    }

    public void EpochCompleted(string line)
    {
        lock (_gate)
        {
            _ends.Add(_clock.Elapsed.TotalSeconds);
            _cpuAtEnds.Add(ProcessCpuSeconds);
        }
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
