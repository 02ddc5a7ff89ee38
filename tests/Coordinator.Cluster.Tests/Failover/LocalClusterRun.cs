using Coordinator.Testing.Persistence;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using Coordinator.Actors.TestSupport;
using Coordinator.Cli.Hosting;
using Coordinator.Cluster.Tests.Support;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cluster.Tests.Failover;

/// <summary>
/// A real cluster of `coordinator node` processes for one test: two supervisor-capable seed nodes and
/// worker nodes, on loopback (or, for workers, in network namespaces), sharing a run folder and a fresh
/// PostgreSQL database. The run is the digits example, made elastic (3 workers, min 2, max 4).
/// Failure detection is set short, so a killed node is downed within seconds.
/// </summary>
public sealed class LocalClusterRun : IDisposable
{
    public const string RunId = "digits-elastic";
    private readonly List<CoordinatorProcess> _nodes = [];
    private readonly FreshDatabase _database = new();

    /// <param name="workers">The workers the run is configured with (it starts once they have registered).</param>
    /// <param name="runConfig">The run configuration's text, given the test's folder (default: <see cref="ElasticDigits"/>).</param>
    public LocalClusterRun(string supervisorHost = "127.0.0.1", int workers = 3, Func<string, string>? runConfig = null)
    {
        Folder = Directory.CreateTempSubdirectory("coordinator-cluster-").FullName;
        Shared = Directory.CreateDirectory(Path.Combine(Folder, "shared")).FullName;
        RunConfig = Path.Combine(Folder, $"{RunId}.conf");
        File.WriteAllText(RunConfig, runConfig is null ? ElasticDigits(workers) : runConfig(Folder));
        Workers = workers;
        SupervisorHost = supervisorHost;
        SeedPorts = [FreePort(), FreePort()];
    }

    public string Folder { get; }
    public string Shared { get; }
    public string RunConfig { get; }
    public string SupervisorHost { get; }
    public int[] SeedPorts { get; }
    public string RunFolder => Path.Combine(Shared, RunId);

    /// <summary>The digits example with elastic membership (min 2, max 4 workers, 2 restarts), its data path made absolute.</summary>
    public static string ElasticDigits(int workers = 3)
    {
        return DigitsConf.Text()
                   .Replace("  workers = 2", $"  workers = {workers}\n  min-workers = 2\n  max-workers = 4\n  max-restarts = 2")
                   .Replace("epochs = 80", "epochs = 30");
    }

    /// <summary>Starts the first seed (it forms the cluster and so is the oldest: it hosts the supervisor), waits
    /// until it is up, then the second (the hot standby).</summary>
    public (CoordinatorProcess Active, CoordinatorProcess Standby) StartSupervisors()
    {
        var active = StartNode("supervisor", SupervisorHost, SeedPorts[0]);
        active.WaitForLine(l => l.StartsWith("member up:") && l.EndsWith("(this node)"), TimeSpan.FromSeconds(90));
        var standby = StartNode("supervisor", SupervisorHost, SeedPorts[1]);
        return (active, standby);
    }

    public CoordinatorProcess StartWorker(string host = "127.0.0.1", IReadOnlyList<string>? wrapper = null,
        IReadOnlyDictionary<string, string>? extra = null) =>
        StartNode("worker", host, FreePort(), wrapper, extra);

    public CoordinatorProcess StartNode(string roles, string host, int port, IReadOnlyList<string>? wrapper = null,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["COORDINATOR_ROLES"] = roles,
            ["COORDINATOR_HOST"] = host,
            ["COORDINATOR_PORT"] = port.ToString(),
            ["COORDINATOR_SEEDS"] = string.Join(",", SeedPorts.Select(p => $"{SupervisorHost}:{p}")),
            ["COORDINATOR_LOG_LEVEL"] = "WARNING",
            // Short, so a killed node is downed in seconds; generous enough for 2 loaded cores.
            ["COORDINATOR_FAILURE_TIMEOUT"] = "4s",
            ["COORDINATOR_DOWN_AFTER"] = "2s",
        };
        if (roles.Contains("supervisor"))
        {
            environment["COORDINATOR_JOURNAL"] = _database.ConnectionString;
            environment["COORDINATOR_SHARED"] = Shared;
            environment["COORDINATOR_RUN"] = RunConfig;
        }
        foreach (var (name, value) in extra ?? new Dictionary<string, string>()) environment[name] = value;
        var node = CoordinatorProcess.Start(["node"], environment, wrapper);
        _nodes.Add(node);
        return node;
    }

    /// <summary>The workers the run is configured with.</summary>
    public int Workers { get; }

    /// <summary>Every event of the run, read back from the PostgreSQL journal.</summary>
    public IReadOnlyList<IRunEvent> Events() =>
        JournalEvents.Read(AkkaConfig.ForPostgreSql(_database.ConnectionString), $"run-{RunId}", TimeSpan.FromSeconds(60));

    /// <summary>summary.json's final validation accuracy.</summary>
    public static double FinalValAccuracy(string runFolder)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "summary.json")));
        return summary.RootElement.GetProperty("final").GetProperty("val_accuracy").GetDouble();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
        _database.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
