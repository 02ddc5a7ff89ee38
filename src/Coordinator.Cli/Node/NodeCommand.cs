using System.Collections;
using System.CommandLine;
using Akka.Configuration;
using Coordinator.Cli.Hosting;

namespace Coordinator.Cli.Node;

/// <summary><c>coordinator node</c>: one member of a training cluster. Every flag has a COORDINATOR_* variable.</summary>
public static class NodeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var options = NodeFields.All
            .Where(f => f.Flag is not null)
            .Select(f => (Field: f, Option: new Option<string?>(f.Flag!) { Description = $"{f.Meaning} [{f.Variable}]" }))
            .ToList();
        var command = new Command("node",
            "Run a cluster node (roles supervisor and/or worker). Flags win over COORDINATOR_* variables, which win over the HOCON file. "
            + $"{NodeFields.TlsPassword.Variable}: the .pfx password (environment only).");
        foreach (var (_, option) in options) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var flags = new Dictionary<string, string>();
            foreach (var (field, option) in options)
                if (parse.GetValue(option) is { } value)
                    flags[field.Flag!] = value;
            return Run(flags, Environment(), stdout, stderr);
        });
        return command;
    }

    /// <summary>Options (flags over variables over HOCON) and checks, then <see cref="NodeHost.Run"/>.</summary>
    public static int Run(IReadOnlyDictionary<string, string> flags, IReadOnlyDictionary<string, string?> environment, TextWriter stdout, TextWriter stderr)
    {
        NodeOptions options;
        Config clusterFile;
        NodeTlsMaterial? tls;
        try
        {
            var configPath = NodeOptionsReader.ConfigPath(flags, environment, AkkaConfig.ClusterHoconFile);
            clusterFile = NodeConfigFile.Load(configPath);
            options = NodeOptionsReader.Read(flags, environment, clusterFile, configPath);
            tls = NodePreflight.Check(options);
        }
        catch (NodeOptionError e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        // Crash tests' knobs, read once here with the node's other variables.
        var faults = Core.Storage.FaultInjection.FromEnvironment(name => environment.GetValueOrDefault(name));
        return NodeHost.Run(options, clusterFile, tls, faults, stdout, stderr);
    }

    private static Dictionary<string, string?> Environment()
    {
        var env = new Dictionary<string, string?>();
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            if (e.Key is string name && name.StartsWith("COORDINATOR_", StringComparison.Ordinal))
                env[name] = e.Value as string;
        return env;
    }
}
