using System.Collections;
using System.CommandLine;

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
            return NodeHost.Run(flags, Environment(), stdout, stderr);
        });
        return command;
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
