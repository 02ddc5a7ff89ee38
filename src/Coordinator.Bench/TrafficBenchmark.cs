using System.Globalization;
using Coordinator.Cli.Bench.Trials;

namespace Coordinator.Cli.Bench;

/// <summary>
/// B3: a real run with 4 workers (gradient sync) in which every message crosses a counting
/// serializer (<see cref="CountingSerializer"/>, with <c>serialize-messages = on</c>): the bytes
/// through the busiest actor (the larger of what it sends and what it receives) per
/// synchronisation against the ring-allreduce bound 2(N-1)/N x model bytes, and the serialized
/// size of the ring chunks against the raw float32 bytes they carry. Everything a run sends is
/// counted, the training states every worker hands to the supervisor at each epoch's end and the
/// final model and evaluation too, over 2 epochs. Bytes do not vary between runs, so one run is measured.
/// </summary>
public static class TrafficBenchmark
{
    public const int Workers = 4;

    public static IReadOnlyList<Comparison> Run(Workload workload, string dataPath, string folder, List<TrialResult> trials, Action<string> log)
    {
        var spec = workload.Trial("coordinator, 4 workers x 1 thread, traffic counted", TrialKind.Coordinator, Path.Combine(folder, "b3"), dataPath,
            workers: Workers, threads: 1) with { Epochs = 2, CountTraffic = true, ReadJournal = true };
        var result = TrialProcess.Run(spec, TimeSpan.FromMinutes(10), log);
        TrainingComparisons.TryDelete(spec.Folder);
        trials.Add(result);
        var traffic = result.Traffic ?? throw new InvalidOperationException("the B3 trial returned no traffic counts");

        var actors = traffic.BytesIn.Keys.Union(traffic.BytesOut.Keys).Where(a => a.StartsWith("worker-", StringComparison.Ordinal) || a == TrafficCounter.Supervisor);
        var through = actors.ToDictionary(a => a, a => Math.Max(traffic.BytesIn.GetValueOrDefault(a), traffic.BytesOut.GetValueOrDefault(a)) / (double)traffic.Rounds);
        var busiest = through.MaxBy(kv => kv.Value);
        var modelBytes = result.ParameterCount * (double)sizeof(float);
        var bound = 2.0 * (Workers - 1) / Workers * modelBytes;
        log(string.Create(CultureInfo.InvariantCulture,
            $"B3: {traffic.Rounds} synchronisations; bytes per synchronisation, max(in, out): {string.Join(", ", through.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value:0}"))}; bound {bound:0}"));
        return
        [
            Comparison.Ratio("B3", $"bytes per synchronisation through the busiest actor ({busiest.Key}), 4 workers, vs the ring bound 2(N-1)/N x model bytes",
                "busiest actor", "ring bound", [busiest.Value], [bound], "B", Goal.AtMost(1.02),
                string.Create(CultureInfo.InvariantCulture,
                    $"everything counted; the ring chunks alone are {traffic.ChunkBytes / (double)Workers / traffic.Rounds:0} B per worker and synchronisation " +
                    $"({traffic.ChunkBytes / (double)Workers / traffic.Rounds / bound:0.0000} x the bound); supervisor {through[TrafficCounter.Supervisor]:0} B per synchronisation; model {modelBytes:0} B")),
            Comparison.Ratio("B3s", "ring chunks: serialized bytes vs the raw float32 bytes they carry",
                "serialized", "raw", [traffic.ChunkBytes], [traffic.ChunkFloatBytes], "B", Goal.AtMost(1.01)),
        ];
    }
}
