using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Coordinator.Cli.Bench;

/// <summary>
/// <c>coordinator bench</c>: comparisons measured side by side in one run, reported as median
/// ratios with their spread. Today it runs B6 (supervisor recovery); the other comparisons of the
/// performance issue are not implemented yet.
/// </summary>
public static class BenchCommand
{
    public static Command Create(TextWriter stdout)
    {
        var quick = new Option<bool>("--quick") { Description = "fewer rounds and a smaller large journal (well under 3 minutes)" };
        var json = new Option<FileInfo?>("--json") { Description = "also write every figure to this JSON file" };
        var command = new Command("bench", "Measure the coordinator against its goals, as ratios measured side by side (today: B6, recovery).")
        {
            quick, json,
        };
        command.SetAction(parse =>
        {
            var isQuick = parse.GetValue(quick);
            var folder = Path.Combine(Path.GetTempPath(), "coordinator-bench", Guid.NewGuid().ToString("N")[..8]);
            stdout.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            var results = new List<Comparison>
            {
                RecoveryBenchmark.Run(isQuick ? 5 : 15, 10_000, folder, m => stdout.WriteLine($"  {m}")),
            };
            stdout.WriteLine();
            stdout.WriteLine("| id | comparison | A (median) | B (median) | A/B median | spread | goal | met |");
            stdout.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var c in results)
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {c.Id} | {c.Description} | {c.MedianA:0.0} {c.Unit} | {c.MedianB:0.0} {c.Unit} | {c.MedianRatio:0.000} | {c.MinRatio:0.000}..{c.MaxRatio:0.000} ({c.Pairs} pairs) | {c.Goal} | {(c.Met ? "yes" : "no")} |"));
            if (parse.GetValue(json) is { } file)
                File.WriteAllText(file.FullName, JsonSerializer.Serialize(results, BenchJsonContext.Default.ListComparison));
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
            return ExitCodes.Ok;
        });
        return command;
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<Comparison>))]
internal sealed partial class BenchJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
