using System.Collections.Concurrent;
using Coordinator.Actors.TestSupport;

namespace Coordinator.Cluster.Tests.Failover;

/// <summary>The undisturbed run's final validation accuracy: the same run configuration (same seed, same
/// configured workers, so the same global batch) trained by `coordinator train` in one process, once per
/// number of workers for the whole collection.</summary>
public sealed class ReferenceAccuracy : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("coordinator-reference-").FullName;
    private readonly ConcurrentDictionary<int, double> _byWorkers = new();

    public double For(int workers) => _byWorkers.GetOrAdd(workers, Train);

    private double Train(int workers)
    {
        var config = Path.Combine(_folder, $"run-{workers}.conf");
        File.WriteAllText(config, LocalClusterRun.ElasticDigits(workers));
        var runFolder = Path.Combine(_folder, $"run-{workers}");
        var result = CoordinatorProcess.Run(["train", "--config", config, "--run-dir", runFolder], timeout: TimeSpan.FromMinutes(3));
        if (result.Exit != 0) throw new InvalidOperationException($"the reference run failed: {result}");
        return LocalClusterRun.FinalValAccuracy(runFolder);
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
