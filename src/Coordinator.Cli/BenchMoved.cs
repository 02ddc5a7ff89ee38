using System.CommandLine;

namespace Coordinator.Cli;

/// <summary><c>coordinator bench</c>: the benchmark is its own executable now; this verb says which (exit 2).</summary>
public static class BenchMoved
{
    public const string Message =
        "the benchmark is its own executable now: coordinator-bench [--quick] [--json FILE] " +
        "(from a clone: dotnet run -c Release --project src/Coordinator.Bench -- --quick); see docs/BENCHMARKS.md";

    public static Command Create(TextWriter stderr)
    {
        var rest = new Argument<string[]>("arguments") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };
        var command = new Command("bench", "Moved: the benchmark is the executable coordinator-bench (docs/BENCHMARKS.md).") { rest };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(_ =>
        {
            stderr.WriteLine($"error: {Message}");
            return ExitCodes.BadInput;
        });
        return command;
    }
}
