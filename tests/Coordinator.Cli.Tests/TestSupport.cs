using System.Runtime.CompilerServices;
using Coordinator.Training;

// Every test here trains with the real TorchSharp model; runs share the process-wide torch thread
// count and the cores, so the classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Coordinator.Cli.Tests;

/// <summary>
/// Torch's intra-op thread count is process-wide and cannot change once tensors exist
/// (<see cref="TorchRuntime.SetNumThreads"/> throws then). Fix it before any test runs, to the
/// count <c>train</c> asks for with digits.conf's two workers (threads-per-worker = 0: cores / 2),
/// so every factory in this process, the CLI's and the tests' own, asks for the same count.
/// </summary>
internal static class TestTorch
{
    public static int Threads { get; } = Math.Max(1, Environment.ProcessorCount / 2);

#pragma warning disable CA2255 // a module initializer in a test assembly: fixes the process-wide thread count first
    [ModuleInitializer]
    internal static void FixThreadCount() => TorchRuntime.SetNumThreads(Threads);
#pragma warning restore CA2255
}

/// <summary>Files copied next to the tests (see the .csproj), in the repository's layout.</summary>
public static class TestFiles
{
    public static string DigitsConf => Path.Combine(AppContext.BaseDirectory, "hocon", "digits.conf");

    public static string DigitsData => Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    /// <summary>digits.conf, edited, with its data path made absolute so the copy can live anywhere.</summary>
    public static string DigitsConfText(Func<string, string>? edit = null)
    {
        var text = File.ReadAllText(DigitsConf);
        const string relative = "\"../data/digits.csv.gz\"";
        Assert.Contains(relative, text);
        text = text.Replace(relative, "\"" + DigitsData.Replace("\\", "\\\\") + "\"");
        return edit is null ? text : edit(text);
    }

    /// <summary>Replaces exactly one occurrence of <paramref name="from"/> (fails if it is not there).</summary>
    public static string ReplaceOnce(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"digits.conf no longer contains '{from}'");
        return text[..at] + to + text[(at + from.Length)..];
    }
}


/// <summary>
/// The command line, in this process, with its output captured. <c>train</c> prints its progress to
/// the process's console rather than to the writer it is given, so the console is captured too (the
/// tests run one at a time) and counted as standard output, as a user would see it.
/// </summary>
public static class Cli
{
    public sealed record Result(int Exit, string Out, string Err);

    public static Result Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = new StringWriter();
        var previous = Console.Out;
        int exit;
        try
        {
            Console.SetOut(TextWriter.Synchronized(console));
            exit = CoordinatorCli.Run(args, stdout, stderr);
        }
        finally
        {
            Console.SetOut(previous);
        }
        return new Result(exit, stdout.ToString() + console.ToString(), stderr.ToString());
    }

    /// <summary><c>train</c> on the shipped digits.conf into <paramref name="runDir"/>.</summary>
    public static Result TrainDigits(string runDir, params string[] more) =>
        Run(["train", "--config", TestFiles.DigitsConf, "--run-dir", runDir, .. more]);
}
