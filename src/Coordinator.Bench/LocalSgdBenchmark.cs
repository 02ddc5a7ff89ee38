using Coordinator.Cli.Bench.Trials;

namespace Coordinator.Cli.Bench;

/// <summary>
/// B3b: local SGD (<c>sync = parameters, sync-every = 8</c>) against gradient sync, 2 workers on
/// the digits set with the shipped example's model and optimizer (digits.conf: MLP 64-128-10 with
/// dropout 0.2, SGD lr 0.05 momentum 0.9, batch 16 per worker): bytes sent per epoch (from the
/// journal) and the validation accuracy after the last epoch. One seed per round, the same for
/// both, so the spread shows how much the seed moves the accuracy.
/// </summary>
public static class LocalSgdBenchmark
{
    public static IReadOnlyList<Comparison> Run(string digitsPath, string folder, int rounds, int epochs, List<TrialResult> trials, Action<string> log)
    {
        var bytesLocal = new List<double>();
        var bytesGradient = new List<double>();
        var accuracyLocal = new List<double>();
        var accuracyGradient = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var seed = 42 + round;
            foreach (var sync in round % 2 == 0 ? new[] { "parameters", "gradients" } : ["gradients", "parameters"])
            {
                var spec = new TrialSpec($"digits, 2 workers, sync = {sync}, seed {seed}", TrialKind.Coordinator,
                    Path.Combine(folder, $"b3b-{round}-{sync}"), digitsPath, [128], 0.2, 16, 2, 1, epochs, seed, 0.05, 0.9, sync, 8, ReadJournal: true);
                var result = TrialProcess.Run(spec, TimeSpan.FromMinutes(10), log);
                TrainingComparisons.TryDelete(spec.Folder);
                trials.Add(result);
                var bytes = result.BytesSentPerEpoch.Average();
                var accuracy = 100 * result.ValAccuracy[^1];
                log($"B3b round {round + 1}/{rounds}: sync = {sync}: {bytes:0} bytes per epoch, validation accuracy {accuracy:0.00}%");
                (sync == "parameters" ? bytesLocal : bytesGradient).Add(bytes);
                (sync == "parameters" ? accuracyLocal : accuracyGradient).Add(accuracy);
            }
        }
        return
        [
            Comparison.Ratio("B3b", "bytes per epoch: local SGD (sync = parameters, sync-every = 8) vs gradient sync, 2 workers, digits",
                "local SGD", "gradient sync", bytesLocal, bytesGradient, "B", Goal.AtMost(1.0 / 8 + 0.01, "0.135 (1/8 + 0.01)")),
            Comparison.Difference("B3b-acc", $"validation accuracy after {epochs} epochs: local SGD vs gradient sync (digits, one seed per pair)",
                "local SGD", "gradient sync", accuracyLocal, accuracyGradient, "%", Goal.Within(1)),
        ];
    }
}
