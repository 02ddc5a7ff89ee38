using System.Diagnostics;
using System.Text.Json;

namespace Coordinator.Cli.Bench.Trials;

/// <summary>
/// Runs a trial in a child process, <c>coordinator-bench --trial SPEC.json</c>, and reads back the
/// result line it prints. The parent waits meanwhile, so the child has the machine to itself.
/// </summary>
public static class TrialProcess
{
    public const string ResultPrefix = "bench-trial-result ";

    /// <summary>Trials that failed and were run again: every one is in the report, with what it printed.</summary>
    public static List<string> Failures { get; } = [];

    /// <summary>Runs the trial; a trial that fails is recorded in <see cref="Failures"/> and run once more.</summary>
    public static TrialResult Run(TrialSpec spec, TimeSpan timeout, Action<string> log)
    {
        try
        {
            return RunOnce(spec, timeout);
        }
        catch (InvalidOperationException e)
        {
            var firstLines = string.Join(" | ", e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => !l.StartsWith("frame #", StringComparison.Ordinal) && !l.StartsWith("at ", StringComparison.Ordinal)).Take(4));
            Failures.Add(firstLines);
            log($"FAILED, running it again: {firstLines}");
            TryDelete(spec.Folder);
            return RunOnce(spec, timeout);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static TrialResult RunOnce(TrialSpec spec, TimeSpan timeout)
    {
        var (host, leading) = SelfCommand();
        var info = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Directory.CreateDirectory(spec.Folder);
        var specFile = Path.Combine(spec.Folder, "trial.json");
        File.WriteAllText(specFile, JsonSerializer.Serialize(spec, BenchJsonContext.Default.TrialSpec));
        foreach (var a in leading) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--trial");
        info.ArgumentList.Add(specFile);

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {host}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"trial \"{spec.Name}\" did not finish within {timeout.TotalMinutes:0} minutes");
        }
        process.WaitForExit();
        var lines = stdout.Result.Split('\n');
        var result = lines.FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || result is null)
            throw new InvalidOperationException($"trial \"{spec.Name}\" failed (exit code {process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        return JsonSerializer.Deserialize(result[ResultPrefix.Length..], BenchJsonContext.Default.TrialResult)
               ?? throw new InvalidOperationException($"trial \"{spec.Name}\" printed an empty result");
    }

    /// <summary>The child's side: runs the trial and prints its result line.</summary>
    public static int RunHere(string specFile, TextWriter stdout)
    {
        var spec = JsonSerializer.Deserialize(File.ReadAllText(specFile), BenchJsonContext.Default.TrialSpec)
                   ?? throw new ArgumentException($"--trial {specFile}: an empty trial specification");
        var result = spec.Kind == TrialKind.BareLoop ? BareLoop.Run(spec) : CoordinatorTrial.Run(spec);
        stdout.WriteLine(ResultPrefix + JsonSerializer.Serialize(result, BenchJsonContext.Default.TrialResult).ReplaceLineEndings(" "));
        return ExitCodes.Ok;
    }

    // This executable again: the apphost as it was started, or `dotnet coordinator-bench.dll` when the
    // process is dotnet itself (dotnet coordinator-bench.dll, or a test host calling the command in-process).
    private static (string Host, string[] Leading) SelfCommand()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(TrialProcess).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == Path.GetFileNameWithoutExtension(dll)
            ? (process, [])
            : (Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet", [dll]);
    }
}
