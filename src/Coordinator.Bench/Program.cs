using System.CommandLine.Help;
using Coordinator.Cli;
using Coordinator.Cli.Bench;

var parse = BenchCommand.Create(Console.Out).Parse(args);
// Bad input exits 2, as the coordinator's (System.CommandLine's own exit code is 1).
if (parse.Action is not HelpAction && parse.Errors.Count > 0)
{
    Console.Error.WriteLine($"error: {parse.Errors[0].Message}");
    return ExitCodes.BadInput;
}
return parse.Invoke();
