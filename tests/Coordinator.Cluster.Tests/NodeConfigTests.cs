using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using Coordinator.Cli.Node;
using Coordinator.Cluster.Tests.Support;

namespace Coordinator.Cluster.Tests;

/// <summary>The Akka configuration a node's options build, read back key by key, and a system started from it.</summary>
public sealed class NodeConfigTests
{
    private static Config Build(NodeInputs inputs) => NodeConfig.Build(inputs.Read(), inputs.File);

    [Fact]
    public void The_options_become_the_cluster_and_remoting_settings()
    {
        var config = Build(new NodeInputs()
            .Env("COORDINATOR_ROLES", "supervisor,worker").Env("COORDINATOR_HOST", "node1").Env("COORDINATOR_BIND_HOST", "0.0.0.0")
            .Env("COORDINATOR_PORT", "4100").Env("COORDINATOR_SEEDS", "node1:4100,node2:4101")
            .Env("COORDINATOR_RUN", "run.conf").Env("COORDINATOR_SHARED", "/shared")
            .Env("COORDINATOR_JOURNAL", "Host=postgres;Database=coordinator;Username=coordinator;Password=x")
            .Env("COORDINATOR_HEARTBEAT_INTERVAL", "2s").Env("COORDINATOR_FAILURE_TIMEOUT", "20s")
            .Env("COORDINATOR_FAILURE_THRESHOLD", "12").Env("COORDINATOR_DOWN_AFTER", "30s").Env("COORDINATOR_LOG_LEVEL", "info"));

        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal(["supervisor", "worker"], config.GetStringList("akka.cluster.roles"));
        Assert.Equal(["akka.tcp://coordinator@node1:4100", "akka.tcp://coordinator@node2:4101"], config.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal("0.0.0.0", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal("node1", config.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal(4100, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.False(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.Equal(TimeSpan.FromSeconds(2), config.GetTimeSpan("akka.cluster.failure-detector.heartbeat-interval"));
        Assert.Equal(TimeSpan.FromSeconds(20), config.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(12.0, config.GetDouble("akka.cluster.failure-detector.threshold"));
        Assert.Equal(TimeSpan.FromSeconds(30), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal("INFO", config.GetString("akka.loglevel"));
        Assert.Equal("Host=postgres;Database=coordinator;Username=coordinator;Password=x", config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal("Host=postgres;Database=coordinator;Username=coordinator;Password=x", config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
    }

    [Fact]
    public void The_cluster_file_brings_big_frames_keep_majority_pubsub_postgres_and_the_serializer()
    {
        var config = Build(NodeInputs.Worker());

        Assert.Equal(16L * 1024 * 1024, config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal(16L * 1024 * 1024, config.GetByteSize("akka.remote.dot-netty.tcp.send-buffer-size"));
        Assert.Equal(16L * 1024 * 1024, config.GetByteSize("akka.remote.dot-netty.tcp.receive-buffer-size"));
        Assert.Equal("Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster", config.GetString("akka.cluster.downing-provider-class"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Contains("Akka.Cluster.Tools.PublishSubscribe.DistributedPubSubExtensionProvider,Akka.Cluster.Tools", config.GetStringList("akka.extensions"));
        Assert.Equal("PostgreSQL.15", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("PostgreSQL.15", config.GetString("akka.persistence.snapshot-store.sql.provider-name"));
        Assert.True(config.GetBoolean("akka.persistence.journal.sql.auto-initialize"));
        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("coordinator", config.GetString("akka.actor.serialization-bindings.\"Coordinator.Actors.Protocol.ICoordinatorMessage, Coordinator.Protocol\""));
        Assert.Equal("supervisor", config.GetString("akka.cluster.singleton.role"));
        // `coordinator node` handles SIGTERM itself; Akka's hook registers for it too and would race it.
        Assert.False(config.GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));
        // Akka.Persistence.Sql's defaults are underneath (table names, the journal class).
        Assert.Equal("Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql", config.GetString("akka.persistence.journal.sql.class"));
    }

    [Fact]
    public void Tls_changes_the_address_scheme_and_asks_for_mutual_authentication()
    {
        var config = Build(NodeInputs.Worker(4200).Env("COORDINATOR_TLS", "on").Env("COORDINATOR_TLS_CERT", "n.pfx").Env("COORDINATOR_TLS_CA", "ca.crt"));

        Assert.Equal(["akka.ssl.tcp://coordinator@127.0.0.1:4200"], config.GetStringList("akka.cluster.seed-nodes"));
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.ssl.require-mutual-authentication"));
        Assert.False(config.GetBoolean("akka.remote.dot-netty.tcp.ssl.suppress-validation"));
        Assert.False(config.GetBoolean("akka.remote.dot-netty.tcp.ssl.validate-certificate-hostname"));
    }

    [Fact]
    public void The_tls_setup_carries_the_certificate_and_the_cluster_ca_validator()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest("CN=node", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var setup = NodeConfig.Setup(ConfigurationFactory.Empty, new NodeTlsMaterial(cert, cert));
        var ssl = setup.Get<DotNettySslSetup>().Value;

        Assert.Same(cert, ssl.Certificate);
        Assert.True(ssl.RequireMutualAuthentication);
        Assert.False(ssl.SuppressValidation);
        Assert.NotNull(ssl.CustomValidator);
        Assert.False(NodeConfig.Setup(ConfigurationFactory.Empty, null).Get<DotNettySslSetup>().HasValue);
    }

    [Fact]
    public async Task A_system_started_from_it_has_the_roles_seeds_and_address_and_joins_its_seed()
    {
        var port = FreePorts.Take(1)[0];
        var inputs = NodeInputs.Worker(port);
        using var system = ActorSystem.Create(NodeConfig.SystemName, NodeConfig.Setup(Build(inputs), null));
        var cluster = Akka.Cluster.Cluster.Get(system);
        try
        {
            Assert.Equal(["worker"], cluster.SelfRoles);
            Assert.Equal([Address.Parse($"akka.tcp://coordinator@127.0.0.1:{port}")], cluster.Settings.SeedNodes);
            Assert.Equal(Address.Parse($"akka.tcp://coordinator@127.0.0.1:{port}"), cluster.SelfAddress);
            Assert.Equal(TimeSpan.FromSeconds(10), cluster.Settings.FailureDetectorConfig.GetTimeSpan("acceptable-heartbeat-pause"));
            Assert.True(SpinWait.SpinUntil(() => cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up, TimeSpan.FromSeconds(60)),
                "the node, its own seed, becomes an Up member");
        }
        finally
        {
            await system.Terminate();
        }
    }
}
