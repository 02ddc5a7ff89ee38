using System.Globalization;
using Coordinator.Cli.Bench.Trials;

namespace Coordinator.Cli.Bench;

/// <summary>
/// B1, B2, B2b and B5: six trainings of the same workload per round, each in a process of its
/// own, in one order on even rounds and the reverse on odd ones (so every pair is measured side
/// by side, A before B as often as B before A); one round first as a warm-up, not counted.
/// Each trial's figure is its mean epoch time after its own warm-up epochs.
/// </summary>
public static class TrainingComparisons
{
    private const string Bare1 = "bare loop, 1 thread";
    private const string Coord1 = "coordinator, 1 worker x 1 thread";
    private const string Coord2 = "coordinator, 2 workers x 1 thread";
    private const string Bare2 = "bare loop, 2 threads";
    private const string Full = "coordinator, 2 workers x 1 thread, full persistence";
    private const string Off = "coordinator, 2 workers x 1 thread, persistence off";

    public static IReadOnlyList<Comparison> Run(Workload workload, string dataPath, string folder, int rounds, bool warmupRound,
        IReadOnlySet<string> ids, List<TrialResult> trials, Action<string> log)
    {
        var specs = Specs(workload, dataPath, folder, ids);
        var results = specs.Keys.ToDictionary(k => k, _ => new List<TrialResult>());
        for (var round = warmupRound ? -1 : 0; round < rounds; round++)
        {
            var order = round % 2 == 0 ? specs.Keys.ToList() : specs.Keys.Reverse().ToList();
            foreach (var name in order)
            {
                var spec = specs[name] with { Folder = Path.Combine(folder, $"round{round + 1}-{Slug(name)}") };
                var result = TrialProcess.Run(spec, TimeSpan.FromMinutes(10), log);
                TryDelete(spec.Folder);
                log(string.Create(CultureInfo.InvariantCulture,
                    $"{(round < 0 ? "warm-up" : $"round {round + 1}/{rounds}")}: {name}: {result.MeanEpochSeconds(workload.WarmupEpochs):0.000} s/epoch " +
                    $"(epochs: {string.Join(" ", result.EpochSeconds.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}), " +
                    $"CPU {result.MeanEpochCpuSeconds(workload.WarmupEpochs):0.000} s/epoch"));
                if (round < 0) continue;
                results[name].Add(result);
                trials.Add(result);
            }
        }

        var w = workload.WarmupEpochs;
        List<double> Seconds(string name) => results[name].Select(r => r.MeanEpochSeconds(w)).ToList();
        List<double> Rate(string name) => results[name].Select(r => r.SamplesPerSecond(w)).ToList();
        // CPU time per epoch (the whole process) says how much work each side did, whatever else ran on the machine.
        string Cpu(string a, string b)
        {
            var (ca, cb) = (results[a].Select(r => r.MeanEpochCpuSeconds(w)).Order().ToList(), results[b].Select(r => r.MeanEpochCpuSeconds(w)).Order().ToList());
            return string.Create(CultureInfo.InvariantCulture, $"CPU time per epoch (median): {ca[ca.Count / 2]:0.000} s vs {cb[cb.Count / 2]:0.000} s");
        }
        var comparisons = new List<Comparison>();
        if (ids.Contains("B1"))
            comparisons.Add(Comparison.Ratio("B1", "epoch time: coordinator with 1 worker vs the bare TorchSharp loop (1 thread each)",
                Coord1, Bare1, Seconds(Coord1), Seconds(Bare1), "s", Goal.AtMost(1.03), Cpu(Coord1, Bare1)));
        if (ids.Contains("B2"))
            comparisons.Add(Comparison.Ratio("B2", $"samples/s: 2 workers x 1 thread vs 1 worker x 1 thread (gradient sync, batch {workload.BatchSize} per worker)",
                Coord2, Coord1, Rate(Coord2), Rate(Coord1), "samples/s", Goal.AtLeast(1.7), Cpu(Coord2, Coord1)));
        if (ids.Contains("B2b"))
            comparisons.Add(Comparison.Ratio("B2b", $"samples/s: 2 workers x 1 thread vs the bare loop with 2 threads (batch {2 * workload.BatchSize} per step)",
                Coord2, Bare2, Rate(Coord2), Rate(Bare2), "samples/s", Goal.AtLeast(0.95), Cpu(Coord2, Bare2)));
        if (ids.Contains("B5"))
            comparisons.Add(Comparison.Ratio("B5", "epoch time, 2 workers: persistence (SQLite events, snapshot every 10 events, a checkpoint file per epoch) vs off (in-memory journal)",
                Full, Off, Seconds(Full), Seconds(Off), "s", Goal.AtMost(1.05),
                Cpu(Full, Off) + "; both write every worker's resume state each epoch: the coordinator has no switch for that (docs/BENCHMARKS.md)"));
        return comparisons;
    }

    private static Dictionary<string, TrialSpec> Specs(Workload workload, string data, string folder, IReadOnlySet<string> ids)
    {
        var all = new (string Name, string[] UsedBy, TrialSpec Spec)[]
        {
            (Coord1, ["B1", "B2"], workload.Trial(Coord1, TrialKind.Coordinator, folder, data, workers: 1, threads: 1)),
            (Bare1, ["B1"], workload.Trial(Bare1, TrialKind.BareLoop, folder, data, workers: 1, threads: 1)),
            (Coord2, ["B2", "B2b"], workload.Trial(Coord2, TrialKind.Coordinator, folder, data, workers: 2, threads: 1)),
            (Bare2, ["B2b"], workload.Trial(Bare2, TrialKind.BareLoop, folder, data, workers: 1, threads: 2, batchSize: 2 * workload.BatchSize)),
            (Full, ["B5"], workload.Trial(Full, TrialKind.Coordinator, folder, data, workers: 2, threads: 1, persistence: PersistenceLevel.Full)),
            (Off, ["B5"], workload.Trial(Off, TrialKind.Coordinator, folder, data, workers: 2, threads: 1, persistence: PersistenceLevel.Off)),
        };
        return all.Where(t => t.UsedBy.Any(ids.Contains)).ToDictionary(t => t.Name, t => t.Spec);
    }

    internal static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Slug(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
