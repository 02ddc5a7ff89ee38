using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Coordinator.Cli.Bench.Trials;

namespace Coordinator.Cli.Bench;

/// <summary>
/// <c>coordinator-bench</c>: the performance goals (B1..B6), each a comparison measured side by
/// side in one run, after a warm-up, reported as a median with its spread. Trainings run in child
/// processes of this executable (<c>--trial</c>, hidden), one at a time.
/// </summary>
public static class BenchCommand
{
    public static RootCommand Create(TextWriter stdout)
    {
        var quick = new Option<bool>("--quick") { Description = "fewer rounds and shorter trainings (under 3 minutes on 2 cores)" };
        var json = new Option<FileInfo?>("--json") { Description = "also write every figure (each trial's epoch times, every pair) to this JSON file" };
        var only = new Option<string?>("--only") { Description = "comparisons to run, e.g. B1,B3b (default: all)", Hidden = true };
        var tiny = new Option<bool>("--tiny") { Description = "a tiny model and one round: checks the output, not the figures", Hidden = true };
        var data = new Option<FileInfo?>("--data") { Description = "digits.csv.gz (default: data/digits.csv.gz of the clone)", Hidden = true };
        var trial = new Option<string?>("--trial") { Description = "run one trial (a TrialSpec in a JSON file) and print its result", Hidden = true };
        var command = new RootCommand("Measure the coordinator against its performance goals B1..B6, as comparisons measured side by side.")
        {
            quick, json, only, tiny, data, trial,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(trial) is { } spec) return TrialProcess.RunHere(spec, stdout);
            var plan = parse.GetValue(tiny) ? BenchPlan.Tiny : parse.GetValue(quick) ? BenchPlan.Quick : BenchPlan.Full;
            var ids = parse.GetValue(only) is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase)
                : BenchPlan.AllIds.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var unknown = ids.Where(i => !BenchPlan.AllIds.Contains(i, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
            {
                stdout.WriteLine($"error: --only: unknown comparison(s) {string.Join(", ", unknown)}; known: {string.Join(", ", BenchPlan.AllIds)}");
                return ExitCodes.BadInput;
            }
            ids = BenchPlan.AllIds.Where(ids.Contains).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var report = Run(plan, ids, Workload.FindDigits(parse.GetValue(data)?.FullName), string.Join(" ", parse.Tokens.Select(t => t.Value)), stdout);
            if (parse.GetValue(json) is { } file)
                File.WriteAllText(file.FullName, JsonSerializer.Serialize(report, BenchJsonContext.Default.BenchReport));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static BenchReport Run(BenchPlan plan, IReadOnlySet<string> ids, string digits, string arguments, TextWriter stdout)
    {
        var wall = Stopwatch.StartNew();
        var folder = Path.Combine(Path.GetTempPath(), "coordinator-bench", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        void Log(string message) => stdout.WriteLine($"  {message}");
        var machine = BenchReport.DescribeMachine();
        var loadAtStart = BenchReport.LoadAverage();
        stdout.WriteLine($"coordinator-bench {arguments}".TrimEnd() + $" ({plan.Name} run)");
        stdout.WriteLine($"machine: {machine}");
        stdout.WriteLine($"load average (1, 5, 15 min) at start: {loadAtStart}");

        var workload = plan.Workload;
        var workloads = new List<string>();
        var comparisons = new List<Comparison>();
        var trials = new List<TrialResult>();
        try
        {
            var timed = ids.Intersect(["B1", "B2", "B2b", "B3", "B5"]).Any();
            var dataPath = timed ? workload.PrepareData(digits, folder) : digits;
            if (timed)
            {
                var trainCount = Core.Data.DataSplitter.Split(Core.Data.TabularCsvLoader.Load(dataPath, Workload.Format), Workload.ValidationSplit, Workload.Seed).Train.Count;
                workloads.Add($"B1, B2, B2b, B3, B5: {workload.Describe(trainCount)}; each training in a process of its own, {plan.Rounds} round(s)" +
                              (plan.WarmupRound ? " after a warm-up round" : ""));
                stdout.WriteLine($"workload: {workloads[^1]}");
            }
            if (ids.Intersect(["B1", "B2", "B2b", "B5"]).Any())
                comparisons.AddRange(TrainingComparisons.Run(workload, dataPath, Path.Combine(folder, "trainings"), plan.Rounds, plan.WarmupRound, ids, trials, Log));
            if (ids.Contains("B3"))
                comparisons.AddRange(TrafficBenchmark.Run(workload, dataPath, folder, trials, Log));
            if (ids.Contains("B3b"))
            {
                workloads.Add($"B3b: digits.conf's model and optimizer (MLP 64-128-10, dropout 0.2, SGD lr 0.05 momentum 0.9, batch 16 per worker), 2 workers x 1 thread, " +
                              $"{plan.LocalSgdEpochs} epochs, {plan.LocalSgdRounds} seed(s)");
                stdout.WriteLine($"workload: {workloads[^1]}");
                comparisons.AddRange(LocalSgdBenchmark.Run(digits, folder, plan.LocalSgdRounds, plan.LocalSgdEpochs, trials, Log));
            }
            if (ids.Contains("B4"))
            {
                workloads.Add($"B4: 2 scripted workers send {plan.MetricReports} batch reports as fast as they can, {plan.MetricRounds} pair(s) after a warm-up pair, one ActorSystem");
                stdout.WriteLine($"workload: {workloads[^1]}");
                comparisons.Add(MetricThroughputBenchmark.Run(plan.MetricRounds, plan.MetricReports, Path.Combine(folder, "metrics"), Log));
            }
            if (ids.Contains("B6"))
            {
                workloads.Add($"B6: SQLite journals of {plan.RecoveryEvents} and 100 events (a snapshot every 100), {plan.RecoveryRounds} pair(s) after a warm-up pair");
                stdout.WriteLine($"workload: {workloads[^1]}");
                comparisons.Add(RecoveryBenchmark.Run(plan.RecoveryRounds, plan.RecoveryEvents, Path.Combine(folder, "recovery"), Log));
            }
        }
        finally
        {
            TrainingComparisons.TryDelete(folder);
        }

        // In the order of the issue; B3s and B3b-acc after the comparison they belong to.
        comparisons = comparisons.OrderBy(c => BenchPlan.AllIds.Where(c.Id.StartsWith).MaxBy(id => id.Length) is { } group ? BenchPlan.AllIds.ToList().IndexOf(group) : int.MaxValue).ToList();
        var report = new BenchReport($"coordinator-bench {arguments}".Trim(), machine, loadAtStart, BenchReport.LoadAverage(), workloads, comparisons,
            trials, TrialProcess.Failures.ToList(), wall.Elapsed.TotalSeconds);
        stdout.WriteLine($"load average at end: {report.LoadAtEnd}");
        stdout.WriteLine();
        foreach (var line in report.TableLines()) stdout.WriteLine(line);
        foreach (var c in comparisons.Where(c => c.Note is not null)) stdout.WriteLine($"{c.Id}: {c.Note}");
        foreach (var failure in report.FailedTrials) stdout.WriteLine($"a trial failed and was run again: {failure}");
        stdout.WriteLine($"wall time: {wall.Elapsed.TotalSeconds:0} s");
        return report;
    }
}
