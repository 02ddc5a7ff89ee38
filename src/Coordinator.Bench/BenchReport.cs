using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using Coordinator.Cli.Bench.Trials;

namespace Coordinator.Cli.Bench;

/// <summary>A whole <c>coordinator-bench</c> run: where it ran, on what, and every comparison.</summary>
public sealed record BenchReport(
    string Command, string Machine, string LoadAtStart, string LoadAtEnd, IReadOnlyList<string> Workloads,
    IReadOnlyList<Comparison> Comparisons, IReadOnlyList<TrialResult> Trials, IReadOnlyList<string> FailedTrials, double WallSeconds)
{
    /// <summary>The 1, 5 and 15 minute load averages: what else the machine was running (other users, builds) shows here.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public IEnumerable<string> TableLines()
    {
        yield return "| id | comparison | A (median) | B (median) | statistic: median | spread (pairs) | goal | met |";
        yield return "| --- | --- | --- | --- | --- | --- | --- | --- |";
        foreach (var c in Comparisons)
            yield return string.Create(CultureInfo.InvariantCulture,
                $"| {c.Id} | {c.Description} | {Number(c.MedianA)} {c.Unit} | {Number(c.MedianB)} {c.Unit} | {c.Statistic}: {Stat(c.Median)} | " +
                $"{Stat(c.Min)}..{Stat(c.Max)} ({c.Pairs}) | {c.Goal} | {(c.Met ? "yes" : "**no**")} |");
    }

    private static string Number(double v) => Math.Abs(v) switch
    {
        >= 1000 => v.ToString("#,0", CultureInfo.InvariantCulture),
        >= 100 => v.ToString("0.0", CultureInfo.InvariantCulture),
        >= 1 => v.ToString("0.000", CultureInfo.InvariantCulture),
        _ => v.ToString("0.0000", CultureInfo.InvariantCulture),
    };

    private static string Stat(double v) => v.ToString(Math.Abs(v) >= 10 ? "0.00" : "0.0000", CultureInfo.InvariantCulture);

    /// <summary>Cores, CPU, memory, OS, runtime, build, TorchSharp: enough to know whether two tables compare.</summary>
    public static string DescribeMachine()
    {
        var cpu = ReadFirst("/proc/cpuinfo", "model name") ?? "unknown CPU";
        var memory = ReadFirst("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], out var k)
            ? $"{k / 1024.0 / 1024.0:0.0} GiB" : "unknown memory";
        var optimized = typeof(BenchReport).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;
        var torch = typeof(TorchSharp.torch).Assembly.GetName().Version;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({cpu}), {memory}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}, " +
            $".NET {Environment.Version}, {(optimized ? "Release" : "Debug (unoptimized: use -c Release for figures)")} build, TorchSharp {torch}, " +
            $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
    }

    private static string? ReadFirst(string file, string key)
    {
        try
        {
            return File.ReadLines(file).Where(l => l.StartsWith(key, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchReport))]
[JsonSerializable(typeof(TrialSpec))]
[JsonSerializable(typeof(TrialResult))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
