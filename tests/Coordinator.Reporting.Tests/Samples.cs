using Coordinator.Core.Reporting;

namespace Coordinator.Reporting.Tests;

/// <summary>A small stopped run with everything a summary can hold.</summary>
internal static class Samples
{
    public static RunSummary StoppedRun()
    {
        var history = new List<EpochRecord>();
        double lr = 0.01;
        for (var epoch = 1; epoch <= 24; epoch++)
        {
            if (epoch == 9) lr = 0.002;
            if (epoch == 17) lr = 0.0004;
            if (epoch == 22) lr = 0.00008;
            var t = epoch / 24.0;
            var loss = 1.2 * Math.Exp(-3 * t) + 0.15 + 0.01 * Math.Sin(epoch);
            var valLoss = 1.25 * Math.Exp(-2.6 * t) + 0.22 + 0.08 * Math.Max(0, t - 0.6) + 0.015 * Math.Cos(epoch);
            history.Add(new EpochRecord(epoch, lr, loss, 1 - loss / 2.2, valLoss, 1 - valLoss / 2.1, 2.1 + 0.05 * epoch));
        }
        var best = history.MinBy(e => e.ValLoss)!;
        return new RunSummary(
            RunId: "run-20250101-abc123",
            Status: RunStatus.Stopped,
            EpochsRun: 24,
            StoppedEpoch: 24,
            StopReason: "EarlyStopping: val_loss did not improve for 5 epochs",
            Monitor: "val_loss",
            BestEpoch: best.Epoch,
            Best: best.ValLoss,
            Final: FinalMetrics.Of(best.Loss, best.Accuracy, best.ValLoss, best.ValAccuracy),
            Workers: 2,
            Sync: "allreduce",
            WallSeconds: 61.7,
            History: history,
            LrChanges:
            [
                new LrChangeRecord(8, 0.01, 0.002, "plateau"),
                new LrChangeRecord(16, 0.002, 0.0004, "plateau"),
                new LrChangeRecord(21, 0.0004, 0.00008, "plateau"),
            ],
            Checkpoints:
            [
                new CheckpointRecord(3, "checkpoints/epoch-03.bin", new string('a', 64), 1234, 0.81, Deleted: true),
                new CheckpointRecord(7, "checkpoints/epoch-07.bin", new string('b', 64), 1234, 0.52, Deleted: true),
                new CheckpointRecord(12, "checkpoints/epoch-12.bin", new string('c', 64), 1234, 0.41, Deleted: false),
                new CheckpointRecord(best.Epoch, $"checkpoints/epoch-{best.Epoch:00}.bin", new string('d', 64), 1234, best.ValLoss, Deleted: false),
            ],
            FinalModel: "model.bin");
    }
}
