using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Coordinator.Actors.Protocol;
using Coordinator.Cli.Node;
using Coordinator.Cli.Train;
using Coordinator.Configuration;
using Coordinator.Core.Data;
using Coordinator.Core.Reporting;
using Coordinator.Core.Storage;
using Coordinator.Reporting;

namespace Coordinator.Cli.Distributed;

/// <summary>
/// What a cluster node runs: on every node, the proxy to the supervisor singleton; on supervisor-role
/// nodes, the singleton manager (the oldest such node hosts <see cref="SupervisorHost"/>, the others are
/// hot standbys); on worker-role nodes, a <see cref="WorkerNode"/>. A supervisor node is done when the
/// run it hosts has finished (a standby takes the singleton over when the active node leaves at the end,
/// finds the run over in the journal, and is done too); a worker-only node when its worker stops.
/// </summary>
public static class ClusterNode
{
    public const string SingletonName = "supervisor";

    public static async Task<int> RunAsync(ActorSystem system, NodeOptions options, FaultInjection faults, TextWriter output, CancellationToken ct)
    {
        var proxySettings = ClusterSingletonProxySettings.Create(system).WithRole(NodeRoles.Supervisor);
        // Subscribed before the proxy starts, so that it sees the proxy's first success.
        system.ActorOf(SupervisorLookupWatch.Props(proxySettings.SingletonIdentificationFailurePeriod, NodeRoles.Supervisor), "supervisor-lookup-watch");
        var proxy = system.ActorOf(ClusterSingletonProxy.Props($"/user/{SingletonName}", proxySettings), "supervisor-proxy");

        var finished = new TaskCompletionSource<RunOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = new TaskCompletionSource<RunSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (options.IsSupervisor)
        {
            var (runId, runFolder, settings, assignment, updateFreq) = PrepareRun(options);
            output.WriteLine($"run {runId}: folder {runFolder}; this node can host its supervisor");
            var progress = new PlainConsoleProgress(output);
            system.ActorOf(ClusterSingletonManager.Props(SupervisorHost.Props(settings, assignment, progress, finished, written, updateFreq, new FileCheckpointStore(faults)),
                PoisonPill.Instance, ClusterSingletonManagerSettings.Create(system).WithRole(NodeRoles.Supervisor)), SingletonName);
        }

        var workerDone = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (options.IsWorker)
        {
            system.ActorOf(WorkerNode.Props(proxy, $"{options.Host}:{options.Port}", a =>
            {
                var (setup, factory) = WorkerAssignment.Build(a);
                return (setup with { Faults = faults }, factory);
            }, output, workerDone),
                "worker-node");
        }

        var cancelled = new TaskCompletionSource();
        await using var registration = ct.Register(() => cancelled.TrySetResult());
        var ending = options.IsSupervisor ? (Task)finished.Task : workerDone.Task;
        var first = await Task.WhenAny(ending, system.WhenTerminated, cancelled.Task);
        if (first == cancelled.Task)
        {
            // Asked to stop (SIGTERM, Ctrl+C): leave, so the others see a graceful exit (and a singleton
            // hosted here hands over) rather than a node to detect as failed and down.
            output.WriteLine("leaving the cluster");
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
            output.WriteLine("left the cluster");
            return ExitCodes.Ok;
        }
        if (first == system.WhenTerminated)
        {
            output.WriteLine("this node was removed from the cluster; stopping");
            return ExitCodes.Failed;
        }
        if (!options.IsSupervisor) return workerDone.Task.Result;

        var outcome = finished.Task.Result;
        if (outcome.RecoveryFailure is { } failure)
        {
            output.WriteLine($"error: {failure}; this node stops");
            return ExitCodes.Failed;
        }
        if (outcome.Summary is null)
        {
            output.WriteLine("the supervisor stopped without a report of the run");
            return ExitCodes.Failed;
        }
        // The run's files are written by their subscriber as the run's end arrives.
        var summary = await written.Task.WaitAsync(TimeSpan.FromMinutes(2));
        output.WriteLine($"run {summary.RunId} {summary.Status.ToString().ToLowerInvariant()} after {summary.EpochsRun} epochs" +
                         (summary.Final is { } f ? $"; final {EpochLine.Metrics(f.Logs.Items)}" : "") +
                         (summary.Error is { } error ? $"; {error}" : ""));
        return summary.Status == RunStatus.Failed ? ExitCodes.Failed : ExitCodes.Ok;
    }

    /// <summary>The run this supervisor-capable node can host: id (the configuration's file name), folder on
    /// the shared storage, supervisor settings, and the assignment handed to worker nodes.</summary>
    private static (string RunId, string Folder, Actors.Supervision.SupervisorSettings Settings, NodeMessages.Assignment Assignment,
        int? TensorBoardUpdateFreq) PrepareRun(NodeOptions options)
    {
        var runPath = options.RunPath!;
        var prepared = TrainingHost.Prepare(RunConfigReader.ReadFile(runPath));
        var runId = Path.GetFileNameWithoutExtension(runPath);
        var folder = Path.Combine(options.SharedPath!, runId);
        Directory.CreateDirectory(folder);
        // What the run started with, in its RunStarted (as train records it): the configuration given, the data's SHA-256.
        var fingerprint = RunFingerprint.Of(File.ReadAllText(runPath), prepared.Settings.Data.Path);
        var settings = TrainingHost.SupervisorSettingsFor(runId, folder, prepared) with
        {
            ConfigSha256 = fingerprint.ConfigSha256, DataSha256 = fingerprint.DataSha256, ConfigSettings = fingerprint.Settings,
        };
        // Where the run's journal is (never the password), so that `history` and `runs` find it.
        History.ClusterJournalFile.ForPostgreSql(options.Journal!, settings.PersistenceId).WriteTo(folder);
        // Workers read the data themselves (relative paths resolve against this folder, as here) and register with its SHA-256.
        var assignment = new NodeMessages.Assignment(runId, File.ReadAllText(runPath), Path.GetDirectoryName(Path.GetFullPath(runPath))!, 0);
        return (runId, folder, settings, assignment, prepared.Settings.Reporting.TensorBoardUpdateFreq);
    }
}
