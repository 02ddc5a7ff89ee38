using System.Diagnostics;
using System.Text.Json;
using Coordinator.Actors.TestSupport;
using Coordinator.Cli.Hosting;
using Coordinator.Cluster.Tests.Failover;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Core.Storage;
using Coordinator.Testing.Persistence;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cluster.Tests.Compose;

/// <summary>
/// docker-compose.yml brought up for real, as a user without a container registry brings it up (with
/// docker-compose.local.yml, on images built here): PostgreSQL, the one-shot certificates, two supervisor
/// seeds and two workers in containers on a compose network, TLS between them. Each test is one compose
/// project, ended with <c>docker-compose down -v</c>, which must leave nothing behind.
/// </summary>
[Collection(ComposeCluster.Name)]
public sealed class ComposeClusterTests(ComposeCluster cluster, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(4);
    private static readonly string[] Supervisors = ["node1", "node2"];
    private readonly string _folder = ReadableTempFolder();

    /// <summary>The compose file as shipped, running the shipped digits.conf: the same decisions as `train`.</summary>
    [DockerFact]
    public void The_shipped_run_makes_the_same_decisions_as_train_and_every_node_ends_without_restarting()
    {
        cluster.Report(output);
        var clock = Stopwatch.StartNew();
        using var project = new ComposeProject(cluster.Engine, cluster.Repo, new Dictionary<string, string>());
        project.Up();
        var up = clock.Elapsed;
        WaitForTheEnd(project);
        output.WriteLine($"compose up: {up.TotalSeconds:0} s; run over, every node exited: {clock.Elapsed.TotalSeconds:0} s");

        // The end of a finished run: every node exited 0 and stays down (restart: on-failure, no loop).
        foreach (var node in ComposeProject.NodeNames)
        {
            var state = project.State(node);
            Assert.True(state is { Status: "exited", ExitCode: 0, Restarts: 0 }, $"{node}: {state}\n{project.Logs(node)}");
        }

        var events = JournalEvents.Read(AkkaConfig.ForPostgreSql(project.JournalConnection), "run-digits", TimeSpan.FromSeconds(60));
        ClusterAssertions.CompletedWithEachEpochOnce(events);
        var composed = Decisions.Read(project.CopyRunFolder("node1", "digits", _folder));
        var trained = Decisions.Read(Train(TestFiles.DigitsConf, "train-digits"));
        output.WriteLine($"compose: {composed}");
        output.WriteLine($"train:   {trained}");
        Assert.Equal(trained, composed);

        AssertNothingLeft(project);
        output.WriteLine($"compose test total: {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>docker kill of a worker's container mid-run, then of the active supervisor's: the run goes on
    /// with the other worker (elastic membership), the standby takes over, and the run finishes.</summary>
    [DockerFact]
    public void Killing_a_worker_then_the_active_supervisor_leaves_the_run_to_the_others()
    {
        cluster.Report(output);
        var clock = Stopwatch.StartNew();
        // digits.conf made elastic (one worker may go), in a folder of its own, mounted as a user's run is.
        const string runId = "digits-faults";
        var configs = Directory.CreateDirectory(Path.Combine(_folder, "hocon")).FullName;
        var data = Directory.CreateDirectory(Path.Combine(_folder, "data")).FullName;
        File.Copy(Path.Combine(TestFiles.Base, "data", "digits.csv.gz"), Path.Combine(data, "digits.csv.gz"));
        var config = Path.Combine(configs, $"{runId}.conf");
        File.WriteAllText(config, File.ReadAllText(TestFiles.DigitsConf)
            .Replace("  workers = 2", "  workers = 2\n  min-workers = 1\n  max-workers = 2\n  max-restarts = 2")
            .Replace("epochs = 80", "epochs = 30")
            .Replace("epoch-timeout = 60s", "epoch-timeout = 3m")); // workers may take long to register on a loaded machine
        MakeReadable(_folder);

        // Each step of a worker waits 50 ms (45 steps: over 2 s an epoch, some 20 epochs before the early stop):
        // both kills, each sent once the test has seen what it waits for, land mid-run whatever the machine.
        var paced = new Dictionary<string, string> { [FaultInjection.StepDelayVariable] = "50" };
        using var project = new ComposeProject(cluster.Engine, cluster.Repo,
            new Dictionary<string, string> { ["RUN_CONFIG"] = $"{runId}.conf", ["RUN_CONFIG_DIR"] = configs, ["RUN_DATA_DIR"] = data },
            new Dictionary<string, IReadOnlyDictionary<string, string>> { ["node3"] = paced, ["node4"] = paced });
        project.Up();
        var (active, _) = project.WaitForLine(Supervisors, l => l.StartsWith("Epoch 2/", StringComparison.Ordinal), Long);
        var standby = Supervisors.Single(s => s != active);
        output.WriteLine($"training on {active}: {clock.Elapsed.TotalSeconds:0} s");

        var marks = Supervisors.ToDictionary(s => s, s => project.Lines(s).Count);
        project.Kill("node4");
        project.WaitForLine([active], l => l.StartsWith("restarting epoch", StringComparison.Ordinal), Long, marks);
        project.WaitForLine([active], l => l.StartsWith("Epoch ", StringComparison.Ordinal), Long, Supervisors.ToDictionary(s => s, s => project.Lines(s).Count));
        output.WriteLine($"node4 killed; {active} restarted the epoch with node3 alone and completed one: {clock.Elapsed.TotalSeconds:0} s");
        // The health checks: the nodes still in the cluster are healthy (Up members).
        project.WaitUntil(() => new[] { "node1", "node2", "node3" }.All(n => project.State(n).Health == "healthy"), Long, "node1-3 healthy");

        marks = Supervisors.ToDictionary(s => s, s => project.Lines(s).Count);
        project.Kill(active);
        project.WaitForLine([standby], l => l.StartsWith("recovered ", StringComparison.Ordinal), Long, marks);
        project.WaitUntil(() => project.State(standby).Status == "exited" && project.State("node3").Status == "exited", Long, "the run over");
        output.WriteLine($"{active} killed; {standby} recovered the run and finished it: {clock.Elapsed.TotalSeconds:0} s");

        Assert.Equal(0, project.State(standby).ExitCode);
        Assert.Equal(0, project.State("node3").ExitCode);
        var events = JournalEvents.Read(AkkaConfig.ForPostgreSql(project.JournalConnection), $"run-{runId}", TimeSpan.FromSeconds(60));
        ClusterAssertions.CompletedWithEachEpochOnce(events);
        var lost = Assert.Single(events.OfType<WorkerLost>());
        Assert.Contains("node4", lost.Worker);
        Assert.Equal(1, Assert.Single(events.OfType<EpochRestarted>()).Workers);
        Assert.NotEmpty(events.OfType<RunResumed>());

        var runFolder = project.CopyRunFolder(standby, runId, _folder);
        var accuracy = LocalClusterRun.FinalValAccuracy(runFolder);
        var undisturbed = LocalClusterRun.FinalValAccuracy(Train(config, "train-faults"));
        output.WriteLine($"final val_accuracy {accuracy:0.0000}; undisturbed (train) {undisturbed:0.0000}");
        ClusterAssertions.AsGoodAsUndisturbed(accuracy, undisturbed);

        AssertNothingLeft(project);
        output.WriteLine($"compose test total: {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>Every node container has exited (the run is over: the active supervisor wrote the run folder,
    /// the standby found it over, the workers were told).</summary>
    private static void WaitForTheEnd(ComposeProject project) =>
        project.WaitUntil(() => ComposeProject.NodeNames.All(n => project.State(n).Status == "exited"), Long, "every node exited");

    private void AssertNothingLeft(ComposeProject project)
    {
        var left = project.Down();
        Assert.True(left.Count == 0, $"docker-compose down -v left: {string.Join(", ", left)}");
    }

    /// <summary>`coordinator train` with the same configuration; its run folder.</summary>
    private string Train(string config, string name)
    {
        var runFolder = Path.Combine(_folder, name);
        var result = CoordinatorProcess.Run(["train", "--config", config, "--run-dir", runFolder], timeout: TimeSpan.FromMinutes(3));
        Assert.True(result.Exit == 0, $"train failed: {result}");
        return runFolder;
    }

    /// <summary>A temporary folder the containers' user (app, 1654) can read.</summary>
    private static string ReadableTempFolder()
    {
        var folder = Directory.CreateTempSubdirectory("coordinator-compose-").FullName;
        MakeReadable(folder);
        return folder;
    }

    private static void MakeReadable(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode dir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                                 UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(folder, dir);
        foreach (var d in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories)) File.SetUnixFileMode(d, dir);
        foreach (var f in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>What the callbacks decided in a run, from its summary.json: how it ended and why, when it stopped,
/// the best epoch and value, every rate change and every checkpoint kept or deleted.</summary>
public sealed record Decisions(string Status, int EpochsRun, int StoppedEpoch, string? StopReason, int? BestEpoch, string Best, string LrChanges, string Checkpoints)
{
    public static Decisions Read(string runFolder)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "summary.json")));
        var root = summary.RootElement;
        var changes = root.GetProperty("lr_changes").EnumerateArray()
            .Select(c => $"{c.GetProperty("epoch")}:{c.GetProperty("from")}->{c.GetProperty("to")} ({c.GetProperty("reason")})");
        var checkpoints = root.GetProperty("checkpoints").EnumerateArray()
            .Select(c => $"{c.GetProperty("epoch")}:{Path.GetFileName(c.GetProperty("path").GetString())}{(c.GetProperty("deleted").GetBoolean() ? " deleted" : "")}");
        return new Decisions(root.GetProperty("status").GetString()!, root.GetProperty("epochs_run").GetInt32(), root.GetProperty("stopped_epoch").GetInt32(),
            root.GetProperty("stop_reason").GetString(),
            root.GetProperty("best_epoch").ValueKind == JsonValueKind.Number ? root.GetProperty("best_epoch").GetInt32() : null,
            root.GetProperty("best").GetRawText(),
            string.Join(", ", changes), string.Join(", ", checkpoints));
    }
}

/// <summary>The engine and the images, once for the compose tests: set up when the first test asks.</summary>
[CollectionDefinition(Name)]
public sealed class ComposeClusterCollection : ICollectionFixture<ComposeCluster>
{
    public const string Name = ComposeCluster.Name;
}

public sealed class ComposeCluster : IDisposable
{
    public const string Name = "compose cluster";
    private readonly List<string> _timings = [];

    public ComposeCluster()
    {
        Repo = FindRepo();
        Engine = new DockerEngine();
        try
        {
            _timings.Add($"dockerd answering after {Engine.StartSeconds:0.0} s");
            LocalImages.EnsureBaseImage(Engine, _timings);
            LocalImages.EnsurePublished(Engine, Repo, _timings);
            LocalImages.Build(Engine, Repo, _timings);
        }
        catch
        {
            Engine.Dispose();
            throw;
        }
    }

    public DockerEngine Engine { get; }

    public string Repo { get; }

    public void Report(ITestOutputHelper output)
    {
        foreach (var line in _timings) output.WriteLine(line);
    }

    /// <summary>The repository these tests were built from (the compose file's project folder).</summary>
    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Coordinator.sln")) && File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")))
                return dir.FullName;
        throw new InvalidOperationException($"no repository (Coordinator.sln, docker-compose.yml) above {AppContext.BaseDirectory}");
    }

    public void Dispose() => Engine.Dispose();
}

/// <summary>A compose test: skipped only when COORDINATOR_TEST_DOCKER=skip says so.</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (DockerEngine.Skipped) Skip = $"{DockerEngine.Variable}=skip: no Docker engine for the compose tests";
    }
}
