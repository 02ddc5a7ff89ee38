using System.Diagnostics;

namespace Coordinator.Cluster.Tests.Support;

/// <summary>Files copied next to the tests (see the .csproj), in the repository's layout.</summary>
public static class TestFiles
{
    public static string Base => AppContext.BaseDirectory;

    public static string ClusterConf => Path.Combine(Base, "hocon", "cluster.conf");

    public static string DigitsConf => Path.Combine(Base, "hocon", "digits.conf");

    /// <summary>A copy of the repository file (docker-compose.yml, README.md, scripts/...).</summary>
    public static string Repo(string relative) => Path.Combine(Base, "repo", relative);

    /// <summary>Runs a shell script and returns its output; fails with the output when it exits non-zero.</summary>
    public static string Bash(string script, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{script} {string.Join(' ', args)} exited {process.ExitCode}\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}
