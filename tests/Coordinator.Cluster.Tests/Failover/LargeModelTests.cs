using System.IO.Compression;
using System.Text.Json;
using Coordinator.Actors.TestSupport;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Core.Storage;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cluster.Tests.Failover;

/// <summary>
/// No payload limited by a frame: a model whose training state (Adam: weights and two moments, 3 x 6.0M
/// float32) is over 64 MB, trained by real `coordinator node` processes on loopback whose remoting frames
/// hold 16 MiB (hocon/cluster.conf): a supervisor node, a worker node from the start and one that joins
/// mid-run. Every epoch's resume state, the best and final weights cross from a worker to the supervisor,
/// the state to the joiner and the best weights back to both, all in chunks; each worker reads the data
/// itself, and the run records its SHA-256. The run makes the decisions of the same configuration trained
/// by `coordinator train` in one process, with the same metrics (the joiner only changes the order of
/// float sums).
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class LargeModelTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(6);

    // 64 -> 4096 -> 1400 -> 10: 6.0M parameters, a 72 MB training state with Adam.
    private static string WideRun(string folder)
    {
        var data = Path.Combine(folder, "digits-400.csv");
        using (var source = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz")), CompressionMode.Decompress)))
            File.WriteAllLines(data, Enumerable.Range(0, 400).Select(_ => source.ReadLine()!)); // 320 training samples: 5 steps an epoch
        // min-delta 100: nothing improves on epoch 0's val_loss, so early-stopping stops after epoch 9 and puts epoch 0's weights back.
        return $$"""
            data { path = "{{data}}", scale = 16, validation-split = 0.2 }
            model { hidden = [4096, 1400], activation = relu, dropout = 0 }
            optimizer { type = adam, learning-rate = 0.0003 }
            training {
              epochs = 14, batch-size = 64, workers = 1, min-workers = 1, max-workers = 2
              seed = 42, sync = gradients, epoch-timeout = 300s, threads-per-worker = 1
            }
            callbacks = [ { type = early-stopping, monitor = val_loss, patience = 9, min-delta = 100, restore-best-weights = true } ]
            """;
    }

    [PostgresFact]
    public void A_worker_joining_mid_run_loads_a_state_larger_than_four_frames_and_the_run_matches_one_process()
    {
        using var cluster = new LocalClusterRun(workers: 1, runConfig: WideRun);
        var (active, _) = cluster.StartSupervisors();
        // Slow steps on the first worker, so a node started after the first epoch joins well before the stop.
        var first = cluster.StartWorker(extra: new Dictionary<string, string> { [FaultInjection.StepDelayVariable] = "400" });
        active.WaitForLine(l => l.StartsWith("Epoch 1/", StringComparison.Ordinal), Long);
        var joiner = cluster.StartWorker();
        output.WriteLine(active.WaitForLine(l => l.Contains(" joined: 2 workers from epoch", StringComparison.Ordinal), Long));

        Assert.Equal(0, active.WaitForExit(Long));
        Assert.Equal(0, first.WaitForExit(Long));
        Assert.Equal(0, joiner.WaitForExit(Long));

        var events = cluster.Events();
        ClusterAssertions.CompletedWithEachEpochOnce(events);
        var started = events.OfType<RunStarted>().Single();
        Assert.Equal(AtomicFile.Sha256Of(Path.Combine(cluster.Folder, "digits-400.csv")), started.DataSha256);
        var joined = events.OfType<WorkerJoined>().Single();
        Assert.InRange(joined.Epoch, 2, 9);
        var states = events.OfType<ResumeStateSaved>().ToList();
        Assert.All(states, s => Assert.All(s.Files, f => Assert.True(f.Bytes > 64_000_000, $"a resume state of {f.Bytes} bytes")));
        Assert.Contains(states, s => s.Epoch >= joined.Epoch); // stored while the joiner was a member
        Assert.Equal(0, events.OfType<BestWeightsRestored>().Single().Epoch);

        var reference = Reference(cluster);
        AssertSameRun(reference, Path.Combine(cluster.RunFolder, "summary.json"));
    }

    /// <summary>The same configuration trained by `coordinator train` in one process.</summary>
    private static string Reference(LocalClusterRun cluster)
    {
        var runFolder = Path.Combine(cluster.Folder, "reference");
        var result = CoordinatorProcess.Run(["train", "--config", cluster.RunConfig, "--run-dir", runFolder], timeout: Long);
        Assert.True(result.Exit == 0, $"the reference run failed: {result}");
        return Path.Combine(runFolder, "summary.json");
    }

    private void AssertSameRun(string expectedSummary, string actualSummary)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(expectedSummary));
        using var actual = JsonDocument.Parse(File.ReadAllText(actualSummary));
        var (e, a) = (expected.RootElement, actual.RootElement);
        foreach (var decision in new[] { "status", "epochs_run", "stopped_epoch", "best_epoch", "stop_reason" })
            Assert.Equal(e.GetProperty(decision).ToString(), a.GetProperty(decision).ToString());
        var (eh, ah) = (e.GetProperty("history").EnumerateArray().ToList(), a.GetProperty("history").EnumerateArray().ToList());
        Assert.Equal(eh.Count, ah.Count);
        for (var i = 0; i < eh.Count; i++)
        {
            output.WriteLine($"epoch {i}: one process {eh[i]}; cluster {ah[i]}");
            foreach (var value in eh[i].EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number && p.Name is not ("seconds" or "epoch")))
                AssertClose($"epoch {i} {value.Name}", value.Value.GetDouble(), ah[i].GetProperty(value.Name).GetDouble());
        }
        foreach (var value in e.GetProperty("final").EnumerateObject())
            AssertClose($"final {value.Name}", value.Value.GetDouble(), a.GetProperty("final").GetProperty(value.Name).GetDouble());
    }

    // Two workers add the same gradients in another order than one: the last bits differ, nothing more.
    // (An accuracy moves in steps of 1/80 of the validation set; a different sample flipping is beyond this.)
    private static void AssertClose(string what, double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-3 + 1e-3 * Math.Abs(expected), $"{what}: {actual} in the cluster, {expected} in one process");
}
