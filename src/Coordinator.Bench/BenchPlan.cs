namespace Coordinator.Cli.Bench;

/// <summary>How much of everything a bench run measures: the full run, <c>--quick</c>, or the hidden
/// <c>--tiny</c> (a small model and one round: it checks the output, not the figures).</summary>
public sealed record BenchPlan(
    string Name, Workload Workload, int Rounds, bool WarmupRound, int LocalSgdRounds, int LocalSgdEpochs,
    int RecoveryRounds, int RecoveryEvents, int MetricRounds, int MetricReports)
{
    public static readonly IReadOnlyList<string> AllIds = ["B1", "B2", "B2b", "B3", "B3b", "B4", "B5", "B6"];

    public static BenchPlan Full { get; } = new("full", new Workload([1024, 1024], 256, Epochs: 6, WarmupEpochs: 1, Shifted: true),
        Rounds: 5, WarmupRound: true, LocalSgdRounds: 5, LocalSgdEpochs: 20, RecoveryRounds: 15, RecoveryEvents: 10_000,
        MetricRounds: 9, MetricReports: 200_000);

    public static BenchPlan Quick { get; } = new("quick", new Workload([1024, 1024], 256, Epochs: 3, WarmupEpochs: 1, Shifted: true),
        Rounds: 2, WarmupRound: false, LocalSgdRounds: 2, LocalSgdEpochs: 10, RecoveryRounds: 5, RecoveryEvents: 10_000,
        MetricRounds: 3, MetricReports: 50_000);

    public static BenchPlan Tiny { get; } = new("tiny", new Workload([32], 32, Epochs: 2, WarmupEpochs: 1, Shifted: false),
        Rounds: 1, WarmupRound: false, LocalSgdRounds: 1, LocalSgdEpochs: 2, RecoveryRounds: 1, RecoveryEvents: 1_000,
        MetricRounds: 1, MetricReports: 2_000);
}
