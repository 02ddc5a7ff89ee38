using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Coordinator.Cli.Hosting;

namespace Coordinator.Cli.Node;

/// <summary>
/// Runs a node from its checked options (<see cref="NodePreflight"/>): the actor system, then
/// <see cref="NodeActors.RunAsync"/>. SIGTERM and Ctrl+C cancel its token, so the node leaves the cluster
/// (its singletons hand over) instead of vanishing; the health file exists while the node is an Up member.
/// </summary>
public static class NodeHost
{
    /// <param name="clusterFile">The node's HOCON file with the shipped defaults under it (<see cref="NodeConfigFile.Load"/>).</param>
    /// <param name="tls">The certificates <see cref="NodePreflight.Check"/> loaded, with TLS on.</param>
    /// <param name="faults">The crash tests' knobs, read once from the node's environment.</param>
    public static int Run(NodeOptions options, Config clusterFile, NodeTlsMaterial? tls, Core.Storage.FaultInjection faults, TextWriter stdout, TextWriter stderr)
    {
        var output = TextWriter.Synchronized(stdout);
        output.WriteLine(Describe(options, tls));
        if (options.HealthFile is { } health) File.Delete(health); // a restarted container keeps its /tmp

        HostedActorSystem akka;
        try
        {
            var config = NodeConfig.Build(options, clusterFile);
            akka = HostedActorSystem.Start(NodeConfig.SystemName, config, NodeConfig.Setups(config, tls));
        }
        catch (Exception e)
        {
            stderr.WriteLine($"error: the node could not start on {options.BindHost}:{options.Port}: {e.GetBaseException().Message}");
            return ExitCodes.Failed;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        var system = akka.System;
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
            akka.Dispose();
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
