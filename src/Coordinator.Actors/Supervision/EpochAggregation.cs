using Coordinator.Actors.Protocol;
using Coordinator.Callbacks;
using Coordinator.Core.Metrics;

namespace Coordinator.Actors.Supervision;

/// <summary>Turns the workers' sums into one set of logs, by metric name, each weighted by its sample count:
/// the training metrics first, then the validation ones with Keras's <c>val_</c> prefix. Sums are added in the
/// order of the reports (the numbers depend on nothing else).</summary>
public static class EpochAggregation
{
    public static MetricLogs Logs(IReadOnlyCollection<WorkerReports.EpochTrained> reports) =>
        Aggregate(reports.Select(r => (r.Train, r.Validation)));

    public static Core.Reporting.FinalMetrics Final(IReadOnlyCollection<WorkerReports.Evaluated> reports) =>
        new(new Core.Reporting.NamedValues(Aggregate(reports.Select(r => (r.Train, r.Validation)))));

    private static MetricLogs Aggregate(IEnumerable<(IReadOnlyList<MetricSum> Train, IReadOnlyList<MetricSum> Validation)> reports)
    {
        var (train, validation) = (new MetricTotals(), new MetricTotals());
        foreach (var r in reports)
        {
            train.Add(r.Train);
            validation.Add(r.Validation);
        }
        return new MetricLogs(train.Means().Concat(validation.Means(MetricDefinition.ValidationPrefix)));
    }
}
