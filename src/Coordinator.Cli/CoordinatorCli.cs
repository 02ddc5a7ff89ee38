using System.CommandLine;
using System.CommandLine.Help;

namespace Coordinator.Cli;

/// <summary>The command line: one root with a verb per task.</summary>
public static class CoordinatorCli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Coordinator: actor-based distributed training with Keras-exact callbacks.")
        {
            SimulateCommand.Create(stdout, stderr),
            Train.TrainCommand.Create(stderr),
            BenchMoved.Create(stderr),
            History.HistoryCommand.Create(stdout, stderr),
            History.RunsCommand.Create(stdout, stderr),
            Node.NodeCommand.Create(stdout, stderr),
        };
        var parse = root.Parse(args);
        // Bad input, exit 2, in words (System.CommandLine's own messages name .NET types and exit 1).
        if (parse.Action is not HelpAction && CommandLineErrors.Describe(parse) is { } error)
        {
            stderr.WriteLine($"error: {error}");
            return ExitCodes.BadInput;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
