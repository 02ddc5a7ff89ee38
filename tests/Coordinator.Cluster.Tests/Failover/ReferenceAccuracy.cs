using Coordinator.Actors.TestSupport;

namespace Coordinator.Cluster.Tests.Failover;

/// <summary>The undisturbed run's final validation accuracy: the same run configuration trained by
/// `coordinator train` in one process (same seed, same 3 workers), once per test class.</summary>
public sealed class ReferenceAccuracy : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("coordinator-reference-").FullName;

    public ReferenceAccuracy()
    {
        var config = Path.Combine(_folder, "run.conf");
        File.WriteAllText(config, LocalClusterRun.ElasticDigits());
        var runFolder = Path.Combine(_folder, "run");
        var result = CoordinatorProcess.Run(["train", "--config", config, "--run-dir", runFolder], timeout: TimeSpan.FromMinutes(3));
        if (result.Exit != 0) throw new InvalidOperationException($"the reference run failed: {result}");
        ValAccuracy = LocalClusterRun.FinalValAccuracy(runFolder);
    }

    public double ValAccuracy { get; }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
