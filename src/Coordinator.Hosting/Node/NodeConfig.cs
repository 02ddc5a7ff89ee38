using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using Coordinator.Cli.Hosting;

namespace Coordinator.Cli.Node;

/// <summary>
/// Builds a node's Akka configuration from its checked options: the options as HOCON over the cluster
/// file, then hocon/coordinator.conf (serializer) and Akka.Persistence.Sql's defaults
/// (<see cref="AkkaConfig.ForPostgreSql"/>). Pure; the certificates come in through <see cref="Setup"/>.
/// </summary>
public static class NodeConfig
{
    /// <summary>Every node's actor system has this name: it is part of every address, so it must match.</summary>
    public const string SystemName = "coordinator";

    /// <summary>The address scheme: TLS changes it, so a TLS node and a plain node never talk.</summary>
    public static string Protocol(bool tls) => tls ? "akka.ssl.tcp" : "akka.tcp";

    public static string SeedAddress(SeedNode seed, bool tls) => $"{Protocol(tls)}://{SystemName}@{seed}";

    public static Config Build(NodeOptions options, Config clusterFile)
    {
        var tls = options.Tls is not null;
        var fd = options.FailureDetection;
        var overrides = ConfigurationFactory.ParseString($"""
            akka.loglevel = {options.LogLevel}
            akka.cluster.roles = [{string.Join(", ", options.Roles.Select(Quoted))}]
            akka.cluster.seed-nodes = [{string.Join(", ", options.Seeds.Select(s => Quoted(SeedAddress(s, tls))))}]
            akka.remote.dot-netty.tcp.hostname = {Quoted(options.BindHost)}
            akka.remote.dot-netty.tcp.public-hostname = {Quoted(options.Host)}
            akka.remote.dot-netty.tcp.port = {options.Port}
            akka.remote.dot-netty.tcp.enable-ssl = {(tls ? "on" : "off")}
            akka.cluster.failure-detector.heartbeat-interval = {NodeValues.Hocon(fd.HeartbeatInterval)}
            akka.cluster.failure-detector.acceptable-heartbeat-pause = {NodeValues.Hocon(fd.FailureTimeout)}
            akka.cluster.failure-detector.threshold = {fd.Threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}
            akka.cluster.split-brain-resolver.stable-after = {NodeValues.Hocon(fd.DownAfter)}
            """);
        return overrides.WithFallback(AkkaConfig.ForPostgreSql(options.Journal ?? "", clusterFile));
    }

    /// <summary>
    /// The actor system's setup: the config, and with TLS this node's certificate and a validator that accepts
    /// only peers whose certificate the cluster CA issued (on both ends of every connection). A journal that
    /// cannot start is reported in one line (<see cref="PluginStartFailures"/>), not logged at each restart.
    /// </summary>
    public static ActorSystemSetup Setup(Config config, NodeTlsMaterial? tls) =>
        ActorSystemSetup.Create([BootstrapSetup.Create().WithConfig(config), .. Setups(config, tls)]);

    /// <summary><see cref="Setup"/> but the config: what a node's <see cref="HostedActorSystem"/> is given besides it.</summary>
    public static IReadOnlyList<Setup> Setups(Config config, NodeTlsMaterial? tls)
    {
        if (tls is null) return [PluginStartFailures.Filter(config)];
        var ssl = new DotNettySslSetup(tls.Certificate, suppressValidation: false, requireMutualAuthentication: true,
            validateCertificateHostname: false, ClusterCertificateValidator.Create(tls.Ca));
        return [PluginStartFailures.Filter(config), ssl];
    }

    private static string Quoted(string s) => $"\"{AkkaConfig.Escape(s)}\"";
}
