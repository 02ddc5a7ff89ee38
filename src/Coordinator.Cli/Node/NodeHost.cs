using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Coordinator.Cli.Hosting;

namespace Coordinator.Cli.Node;

/// <summary>
/// Starts a node: options (flags over variables over HOCON), checks, the actor system, then
/// <see cref="NodeActors.RunAsync"/>. SIGTERM and Ctrl+C cancel its token, so the node leaves the cluster
/// (its singletons hand over) instead of vanishing; the health file exists while the node is an Up member.
/// </summary>
public static class NodeHost
{
    public static int Run(IReadOnlyDictionary<string, string> flags, IReadOnlyDictionary<string, string?> environment, TextWriter stdout, TextWriter stderr)
    {
        NodeOptions options;
        Config clusterFile;
        NodeTlsMaterial? tls;
        Core.Storage.FaultInjection faults;
        try
        {
            var configPath = NodeOptionsReader.ConfigPath(flags, environment, AkkaConfig.ClusterHoconFile);
            clusterFile = NodeConfigFile.Load(configPath);
            options = NodeOptionsReader.Read(flags, environment, clusterFile, configPath);
            // Crash tests' knobs, read once here with the node's other variables.
            faults = Core.Storage.FaultInjection.FromEnvironment(name => environment.GetValueOrDefault(name));
            tls = NodePreflight.Check(options);
        }
        catch (NodeOptionError e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }

        var output = TextWriter.Synchronized(stdout);
        output.WriteLine(Describe(options, tls));
        if (options.HealthFile is { } health) File.Delete(health); // a restarted container keeps its /tmp

        ActorSystem system;
        try
        {
            system = ActorSystem.Create(NodeConfig.SystemName, NodeConfig.Setup(NodeConfig.Build(options, clusterFile), tls));
        }
        catch (Exception e)
        {
            stderr.WriteLine($"error: the node could not start on {options.BindHost}:{options.Port}: {e.GetBaseException().Message}");
            return ExitCodes.Failed;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        try
        {
            if (options.HealthFile is { } file) TrackHealth(system, file, stderr);
            var exit = NodeActors.RunAsync(system, options, faults, output, stop.Token).GetAwaiter().GetResult();
            // Whatever the actors did, the node does not end as a member: leave (no-op if already done).
            CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).GetAwaiter().GetResult();
            return exit;
        }
        finally
        {
            system.Dispose();
            if (options.HealthFile is { } file) TryDelete(file);
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // no default termination: the node leaves first, then returns
            stop.Cancel();
        }
    }

    private static string Describe(NodeOptions o, NodeTlsMaterial? tls)
    {
        var address = $"{NodeConfig.Protocol(o.Tls is not null)}://{NodeConfig.SystemName}@{new SeedNode(o.Host, o.Port)}";
        var lines = new List<string>
        {
            $"node {address} roles [{string.Join(",", o.Roles)}]" + (o.BindHost != o.Host ? $", listening on {o.BindHost}" : ""),
            $"seeds {string.Join(",", o.Seeds)}",
            tls is null ? "TLS off" : $"TLS on: certificate {tls.Certificate.Subject}, cluster CA {tls.Ca.Subject}, mutual authentication",
            $"failure detection: heartbeat {NodeValues.Hocon(o.FailureDetection.HeartbeatInterval)}, unreachable after {NodeValues.Hocon(o.FailureDetection.FailureTimeout)} (phi {o.FailureDetection.Threshold}), downed {NodeValues.Hocon(o.FailureDetection.DownAfter)} later",
        };
        if (o.IsSupervisor) lines.Add($"supervisor: run {o.RunPath}, shared storage {o.SharedPath}");
        else if (o.RunPath is not null || o.SharedPath is not null)
            lines.Add($"worker node: {NodeFields.Run.Variable} and {NodeFields.Shared.Variable} are used on supervisor nodes only, ignored here");
        return string.Join(Environment.NewLine, lines);
    }

    private static void TrackHealth(ActorSystem system, string file, TextWriter stderr)
    {
        var cluster = Cluster.Get(system);
        cluster.RegisterOnMemberUp(() =>
        {
            try
            {
                File.WriteAllText(file, $"{cluster.SelfAddress} up{Environment.NewLine}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"warning: cannot write the health file {file}: {e.Message}");
            }
        });
        cluster.RegisterOnMemberRemoved(() => TryDelete(file));
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
