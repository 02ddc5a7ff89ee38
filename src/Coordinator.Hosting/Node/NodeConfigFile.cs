using Akka.Configuration;
using Coordinator.Configuration;
using Coordinator.Cli.Hosting;

namespace Coordinator.Cli.Node;

/// <summary>
/// Reads the cluster HOCON file a node was given. Keys it leaves out come from the shipped
/// hocon/cluster.conf, so a site file holds only what it changes, then from hocon/coordinator.conf.
/// </summary>
public static class NodeConfigFile
{
    public static Config Load(string path)
    {
        var shipped = Parse(AkkaConfig.ClusterHoconFile, "the cluster.conf shipped next to the executable (reinstall)")
            .WithFallback(Parse(AkkaConfig.HoconFile, "the coordinator.conf shipped next to the executable (reinstall)"));
        return Path.GetFullPath(path) == Path.GetFullPath(AkkaConfig.ClusterHoconFile)
            ? shipped
            : Parse(path, "a readable HOCON file").WithFallback(shipped);
    }

    private static Config Parse(string path, string allowed)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeOptionError(NodeFields.Config, $"\"{path}\"", "", $"{allowed}: {e.Message}");
        }
        Config config;
        try
        {
            config = HoconText.Parse(text, path);
        }
        catch (ConfigurationError e)
        {
            throw new NodeOptionError(NodeFields.Config, $"\"{path}\"", "", e.Detail);
        }
        // A node's file holds Akka settings only: anything else at the top is not what the node reads.
        foreach (var key in config.Root.GetObject().Items.Keys)
            if (key != "akka")
                throw new NodeOptionError(NodeFields.Config, $"\"{path}\"", "",
                    $"has '{key}' at the top; a node's HOCON file holds Akka settings only, under akka {{ ... }}");
        return config;
    }
}
