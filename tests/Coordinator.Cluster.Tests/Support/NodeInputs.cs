using Akka.Configuration;
using Coordinator.Cli.Node;

namespace Coordinator.Cluster.Tests.Support;

/// <summary>
/// A node's inputs as the command gets them (flags by name, COORDINATOR_* variables) and the options
/// read from them over the shipped hocon/cluster.conf, or over a HOCON text given here.
/// </summary>
public sealed class NodeInputs
{
    public Dictionary<string, string> Flags { get; } = new();

    public Dictionary<string, string?> Environment { get; } = new();

    public string? Hocon { get; set; }

    public NodeInputs Flag(string name, string value)
    {
        Flags[name] = value;
        return this;
    }

    public NodeInputs Env(string name, string? value)
    {
        Environment[name] = value;
        return this;
    }

    /// <summary>A worker on loopback seeding itself: the least a node needs.</summary>
    public static NodeInputs Worker(int port = 4053) =>
        new NodeInputs().Env("COORDINATOR_ROLES", "worker").Env("COORDINATOR_PORT", port.ToString())
            .Env("COORDINATOR_SEEDS", $"127.0.0.1:{port}");

    public Config File =>
        Hocon is null ? NodeConfigFile.Load(TestFiles.ClusterConf) : ConfigurationFactory.ParseString(Hocon).WithFallback(NodeConfigFile.Load(TestFiles.ClusterConf));

    public string FilePath => Hocon is null ? TestFiles.ClusterConf : "site.conf";

    public NodeOptions Read() => NodeOptionsReader.Read(Flags, Environment, File, FilePath);

    public NodeOptionError Error() => Assert.Throws<NodeOptionError>(Read);
}
