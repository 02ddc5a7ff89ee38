using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using AkkaCluster = Akka.Cluster.Cluster;
using Akka.Event;
using Coordinator.Cli.Node;
using Coordinator.Cluster.Tests.Support;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// TLS with mutual authentication, for real: ActorSystems on loopback built exactly as `coordinator node`
/// builds them. Two nodes with certificates from the cluster CA form a cluster; a node whose certificate
/// another CA issued, or that signed its own, is refused at the TLS handshake and never becomes a member,
/// even though it trusts the cluster's CA itself (so it is the cluster refusing it, not the other way round).
/// </summary>
public sealed class TlsJoinTests(Certificates certificates) : IClassFixture<Certificates>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("another CA")]
    [InlineData("self-signed")]
    public async Task A_node_without_a_certificate_the_cluster_trusts_cannot_join(string intruderKind)
    {
        var ports = FreePorts.Take(3);
        var seed = $"127.0.0.1:{ports[0]}";
        var systems = new List<ActorSystem>();
        try
        {
            var a = Start(systems, "node-a", ports[0], seed, Trusted("node-a"));
            var warnings = WarningsOf(a);
            var b = Start(systems, "node-b", ports[1], seed, Trusted("node-b"));

            Until(() => Up(a).Count == 2 && Up(b).Count == 2, "node-a and node-b, both with cluster certificates, form a cluster");
            Assert.Equal("akka.ssl.tcp", AkkaCluster.Get(a).SelfAddress.Protocol);

            // The intruder trusts the cluster CA (it would accept the seed), but presents a certificate the cluster did not issue.
            var pfx = intruderKind == "another CA" ? certificates.OtherCaIntruder : certificates.SelfSigned;
            var intruderCertificate = certificates.Load(pfx);
            var c = Start(systems, "intruder", ports[2], seed, new NodeTlsMaterial(intruderCertificate, certificates.LoadClusterCa()));

            // Each join attempt is a TLS handshake the seed refuses. Wait for the first refusal, then give the
            // intruder time to try again (a loaded machine may take longer than this for its next attempt;
            // whether it came is not what is tested, that it never got in is).
            int Refusals() => warnings.Count(w => w.Contains("TLS: refused", StringComparison.Ordinal) && w.Contains(intruderCertificate.Subject, StringComparison.Ordinal));
            Until(() => Refusals() >= 1, $"node-a refuses the {intruderKind} certificate");
            SpinWait.SpinUntil(() => Refusals() >= 2, TimeSpan.FromSeconds(20));

            Assert.DoesNotContain(AkkaCluster.Get(a).State.Members, m => m.Address.Port == ports[2]);
            Assert.DoesNotContain(AkkaCluster.Get(b).State.Members, m => m.Address.Port == ports[2]);
            Assert.NotEqual(MemberStatus.Up, AkkaCluster.Get(c).SelfMember.Status);
            Assert.Equal(2, Up(a).Count);
        }
        finally
        {
            await Task.WhenAll(systems.Select(s => s.Terminate()));
        }
    }

    private NodeTlsMaterial Trusted(string node)
    {
        var inputs = NodeInputs.Worker().Env("COORDINATOR_TLS", "on").Env("COORDINATOR_TLS_CERT", certificates.Node(node))
            .Env("COORDINATOR_TLS_PASSWORD", Certificates.Password).Env("COORDINATOR_TLS_CA", certificates.ClusterCa);
        return NodePreflight.Check(inputs.Read())!;
    }

    private static ActorSystem Start(List<ActorSystem> systems, string name, int port, string seed, NodeTlsMaterial tls)
    {
        var inputs = NodeInputs.Worker(port).Env("COORDINATOR_SEEDS", seed).Env("COORDINATOR_TLS", "on")
            .Env("COORDINATOR_TLS_CERT", $"{name}.pfx").Env("COORDINATOR_TLS_CA", "ca.crt");
        var config = NodeConfig.Build(inputs.Read(), inputs.File);
        var system = ActorSystem.Create(NodeConfig.SystemName, NodeConfig.Setup(config, tls));
        systems.Add(system);
        return system;
    }

    private static IReadOnlyList<Member> Up(ActorSystem system) =>
        AkkaCluster.Get(system).State.Members.Where(m => m.Status == MemberStatus.Up).ToList();

    private static ConcurrentQueue<string> WarningsOf(ActorSystem system)
    {
        var warnings = new ConcurrentQueue<string>();
        var collector = system.ActorOf(Props.Create(() => new WarningCollector(warnings)));
        system.EventStream.Subscribe(collector, typeof(Warning));
        return warnings;
    }

    private static void Until(Func<bool> condition, string what) =>
        Assert.True(SpinWait.SpinUntil(condition, Deadline), $"not within {Deadline.TotalSeconds:0} s: {what}");

    private sealed class WarningCollector : ReceiveActor
    {
        public WarningCollector(ConcurrentQueue<string> warnings) => Receive<Warning>(w => warnings.Enqueue(w.Message?.ToString() ?? ""));
    }
}
