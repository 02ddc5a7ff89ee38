using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Supervision.Decider;

/// <summary>
/// The epoch barrier's bookkeeping (pure): which members have reported the epoch, and once the last
/// has, every report in worker order; on a timeout, which members were silent. Members are whatever
/// identifies them (actor references in the barrier actor, names in tests).
/// </summary>
public sealed class BarrierTally<TMember>(IReadOnlyList<TMember> members) where TMember : notnull
{
    private readonly Dictionary<TMember, WorkerReports.EpochTrained> _reports = [];

    /// <summary>Records <paramref name="member"/>'s report (again: the later one counts); returns every report,
    /// by worker, once all members have reported, else null. A report from a non-member is ignored.</summary>
    public IReadOnlyList<WorkerReports.EpochTrained>? Add(TMember member, WorkerReports.EpochTrained report)
    {
        if (!members.Contains(member)) return null;
        _reports[member] = report;
        return _reports.Count < members.Count ? null : _reports.Values.OrderBy(r => r.Worker).ToList();
    }

    /// <summary>The members that have not reported, in ring order.</summary>
    public IReadOnlyList<TMember> Silent => members.Where(m => !_reports.ContainsKey(m)).ToList();
}

public static class BarrierTally
{
    public static string TimeoutReason(IEnumerable<string> silent, int epoch, TimeSpan timeout) =>
        $"worker(s) {string.Join(", ", silent)} did not report epoch {epoch + 1} within {timeout.TotalSeconds:0}s (epoch-timeout)";
}
