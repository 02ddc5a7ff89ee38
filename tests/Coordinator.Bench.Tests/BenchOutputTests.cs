using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Coordinator.Bench.Tests;

/// <summary>
/// `coordinator-bench` shrunk to a tiny model and one round (hidden --tiny), on a few comparisons
/// (hidden --only) so that it stays short: a training pair in child processes, the coordinator
/// through its run configuration against the bare loop (B1), a run with counted traffic (B3),
/// supervisor throughput with scripted workers (B4) and recovery (B6). The output's form is
/// checked, never its figures.
/// </summary>
public sealed class BenchOutputTests : IDisposable
{
    private static readonly string[] Ids = ["B1", "B3", "B3s", "B4", "B6"];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "coordinator-bench-tests", Guid.NewGuid().ToString("N")[..12]);

    public BenchOutputTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public void Bench_prints_a_table_and_writes_every_figure_as_json()
    {
        var json = Path.Combine(_folder, "out.json");
        var (exit, stdout, stderr) = Coordinator(TimeSpan.FromMinutes(3), "--quick", "--tiny", "--only", "B1,B3,B4,B6",
            "--json", json, "--data", Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");

        Assert.Contains($"machine: {Environment.ProcessorCount} cores (", stdout);
        Assert.Contains("workload: ", stdout);
        var header = stdout.Split('\n').Select(l => l.Trim()).ToList().FindIndex(l => l.StartsWith("| id | comparison |", StringComparison.Ordinal));
        Assert.True(header >= 0, stdout);
        var rows = stdout.Split('\n').Skip(header + 2).Select(l => l.Trim()).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.Equal(Ids, rows.Select(r => r.Split('|', StringSplitOptions.TrimEntries)[1]));
        Assert.All(rows, r => Assert.Equal(10, r.Split('|').Length)); // 8 columns
        Assert.All(rows, r => Assert.Matches(@"\| (yes|\*\*no\*\*) \|$", r));

        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var root = document.RootElement;
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("machine").GetString()));
        Assert.NotEmpty(root.GetProperty("workloads").EnumerateArray());
        var comparisons = root.GetProperty("comparisons").EnumerateArray().ToList();
        Assert.Equal(Ids, comparisons.Select(c => c.GetProperty("id").GetString()));
        foreach (var c in comparisons)
        {
            var pairs = c.GetProperty("pairs").GetInt32();
            Assert.True(pairs >= 1);
            Assert.Equal(pairs, c.GetProperty("values_a").GetArrayLength());
            Assert.Equal(pairs, c.GetProperty("values_b").GetArrayLength());
            Assert.Equal(pairs, c.GetProperty("per_pair").GetArrayLength());
            foreach (var name in new[] { "median_a", "median_b", "median", "min", "max" })
                Assert.True(double.IsFinite(c.GetProperty(name).GetDouble()), $"{c.GetProperty("id")}: {name}");
            Assert.True(c.GetProperty("min").GetDouble() <= c.GetProperty("median").GetDouble());
            Assert.True(c.GetProperty("median").GetDouble() <= c.GetProperty("max").GetDouble());
            Assert.Matches(@"^(<=|>=|within ±) ?[0-9]", c.GetProperty("goal").GetString());
            Assert.True(c.GetProperty("met").ValueKind is JsonValueKind.True or JsonValueKind.False);
        }
        var trials = root.GetProperty("trials").EnumerateArray().ToList();
        Assert.NotEmpty(trials);
        Assert.All(trials, t => Assert.True(t.GetProperty("epoch_seconds").EnumerateArray().All(s => s.GetDouble() > 0)));
    }

    [Fact]
    public void An_unknown_comparison_is_refused()
    {
        var (exit, stdout, _) = Coordinator(TimeSpan.FromMinutes(1), "--only", "B9");
        Assert.Equal(2, exit);
        Assert.Contains("B9", stdout);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (int Exit, string Stdout, string Stderr) Coordinator(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(BenchDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"coordinator {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0}s\n{stdout.Result}");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string BenchDll { get; } =
        typeof(BenchOutputTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BenchDll").Value
        ?? throw new InvalidOperationException("the BenchDll metadata is missing");
}
