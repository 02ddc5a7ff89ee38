using Coordinator.Actors.Protocol;
using Coordinator.Callbacks;

namespace Coordinator.Actors.Supervision;

/// <summary>Turns the workers' sums into one set of epoch logs, weighted by sample counts.</summary>
public static class EpochAggregation
{
    public static MetricLogs Logs(IReadOnlyCollection<WorkerReports.EpochTrained> reports)
    {
        var logs = new MetricLogs();
        var count = reports.Sum(r => r.Count);
        if (count > 0)
        {
            logs["loss"] = reports.Sum(r => r.LossSum) / count;
            logs["accuracy"] = (double)reports.Sum(r => r.Correct) / count;
        }
        var valCount = reports.Sum(r => r.ValCount);
        if (valCount > 0)
        {
            logs["val_loss"] = reports.Sum(r => r.ValLossSum) / valCount;
            logs["val_accuracy"] = (double)reports.Sum(r => r.ValCorrect) / valCount;
        }
        return logs;
    }

    public static Core.Reporting.FinalMetrics Final(IReadOnlyCollection<WorkerReports.Evaluated> reports)
    {
        var count = Math.Max(1, reports.Sum(r => r.Count));
        var valCount = Math.Max(1, reports.Sum(r => r.ValCount));
        return new Core.Reporting.FinalMetrics(
            reports.Sum(r => r.LossSum) / count, (double)reports.Sum(r => r.Correct) / count,
            reports.Sum(r => r.ValLossSum) / valCount, (double)reports.Sum(r => r.ValCorrect) / valCount);
    }
}
