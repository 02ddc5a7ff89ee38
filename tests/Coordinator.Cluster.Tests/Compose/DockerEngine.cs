using System.Diagnostics;

namespace Coordinator.Cluster.Tests.Compose;

/// <summary>
/// The Docker engine the compose tests use. By default a private <c>dockerd</c> that this fixture starts
/// (by PID) and stops at the end: its own socket, pid file and state under <see cref="RunRoot"/> (removed
/// at the end), its images under <see cref="DataRoot"/> (kept: the base image and the build layers are the
/// cache of the next run on this machine). It makes no default bridge and touches no firewall rule
/// (<c>--bridge=none --iptables=false</c>): the compose networks it creates are removed by <c>down</c>,
/// and image builds use the host's network. Needs root and Debian's <c>docker.io</c> and
/// <c>docker-compose</c> (scripts/test.sh installs them). <c>COORDINATOR_TEST_DOCKER=unix:///PATH</c> uses a
/// running engine instead; <c>COORDINATOR_TEST_DOCKER=skip</c> skips the compose tests (never in CI).
/// </summary>
public sealed class DockerEngine : IDisposable
{
    public const string Variable = "COORDINATOR_TEST_DOCKER";
    public const string RunRoot = "/run/coordinator-tests/docker";
    public const string DataRoot = "/var/lib/coordinator-tests/docker";

    private readonly Process? _daemon;
    private readonly string _log = Path.Combine(Path.GetTempPath(), $"coordinator-tests-dockerd-{Guid.NewGuid():N}.log");

    public DockerEngine()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            Host = given;
            Client = EngineClient(null);
            Compose = Tool("docker-compose");
            if (Run(Client, ["info"], TimeSpan.FromSeconds(30)).Exit != 0)
                throw new InvalidOperationException($"{Variable}={given}: no Docker engine answers there");
            return;
        }

        if (Environment.UserName != "root")
            throw new InvalidOperationException($"the compose tests start their own Docker engine, which needs root (CI runs as root); or set {Variable} to a running engine's socket, or {Variable}=skip");
        var dockerd = Tool("dockerd");
        Client = EngineClient(dockerd);
        Compose = Tool("docker-compose");
        Host = $"unix://{RunRoot}/docker.sock";

        StopLeftover();
        Directory.CreateDirectory(RunRoot);
        Directory.CreateDirectory(DataRoot);
        var info = new ProcessStartInfo(dockerd) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     "--pidfile", PidFile, "--host", Host, "--exec-root", Path.Combine(RunRoot, "exec"), "--data-root", DataRoot,
                     "--bridge=none", "--iptables=false", "--ip-forward=false", "--ip-masq=false",
                 })
            info.ArgumentList.Add(a);
        _daemon = Process.Start(info)!;
        var log = new StreamWriter(_log) { AutoFlush = true };
        _daemon.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _daemon.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _daemon.BeginOutputReadLine();
        _daemon.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        while (Run(Client, ["info"], TimeSpan.FromSeconds(10)).Exit != 0)
        {
            if (_daemon.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                Dispose();
                throw new InvalidOperationException($"dockerd did not answer within 60 s (exit {(_daemon.HasExited ? _daemon.ExitCode : "none yet")}); its log:\n{Tail(_log)}");
            }
            Thread.Sleep(250);
        }
        StartSeconds = clock.Elapsed.TotalSeconds;
    }

    public static bool Skipped => string.Equals(Environment.GetEnvironmentVariable(Variable), "skip", StringComparison.OrdinalIgnoreCase);

    /// <summary>DOCKER_HOST for every client.</summary>
    public string Host { get; }

    public string Client { get; }

    public string Compose { get; }

    public double StartSeconds { get; }

    private static string PidFile => Path.Combine(RunRoot, "dockerd.pid");

    /// <summary>The docker client; fails with its output unless it exits 0.</summary>
    public string Docker(params string[] args) => Checked(Client, args, TimeSpan.FromMinutes(5));

    /// <summary>Runs a tool with DOCKER_HOST set and the engine's directory first on the PATH (docker-compose's
    /// builds call `docker`).</summary>
    public CommandResult Run(string tool, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null, Stream? stdin = null)
    {
        var info = new ProcessStartInfo(tool)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOCKER_HOST"] = Host;
        info.Environment["PATH"] = $"{Path.GetDirectoryName(Client)}:{Environment.GetEnvironmentVariable("PATH")}";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            stdin.CopyTo(process.StandardInput.BaseStream);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new CommandResult(-1, stdout.Result, $"{stderr.Result}\n(killed after {timeout.TotalSeconds:0} s)");
        }
        process.WaitForExit();
        return new CommandResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public string Checked(string tool, IReadOnlyList<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var result = Run(tool, args, timeout, environment, workingDirectory);
        if (result.Exit != 0)
            throw new InvalidOperationException($"{Path.GetFileName(tool)} {string.Join(' ', args)} exited {result.Exit}\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout;
    }

    /// <summary>The client that came with the engine (Debian's docker.io: its API version, and BuildKit built in;
    /// a newer client elsewhere on the PATH would want the buildx plugin for BuildKit).</summary>
    private static string EngineClient(string? dockerd) =>
        new[] { dockerd is null ? null : Path.Combine(Path.GetDirectoryName(dockerd)!, "docker"), "/usr/bin/docker" }
            .FirstOrDefault(File.Exists) ?? Tool("docker");

    /// <summary>A tool on the PATH, or an error that says which package has it.</summary>
    public static string Tool(string name)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin"]).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException(
            $"{name} is not installed: the compose tests need Debian's docker.io, docker-compose and debootstrap " +
            $"(scripts/test.sh installs them as root: apt-get install -y docker.io docker-compose debootstrap); {Variable}=skip skips them");
    }

    /// <summary>A daemon left by a run that was killed: ours by its pid file, so it is stopped, not reused.</summary>
    private static void StopLeftover()
    {
        if (!File.Exists(PidFile) || !int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid)) return;
        try
        {
            using var leftover = Process.GetProcessById(pid);
            if (!leftover.ProcessName.StartsWith("dockerd", StringComparison.Ordinal)) return;
            Stop(leftover);
        }
        catch (ArgumentException)
        {
            // not running any more
        }
    }

    private static void Stop(Process daemon)
    {
        if (daemon.HasExited) return;
        Signal.Terminate(daemon.Id);
        if (!daemon.WaitForExit(TimeSpan.FromSeconds(30))) daemon.Kill(entireProcessTree: true);
        daemon.WaitForExit();
    }

    private static string Tail(string file) =>
        File.Exists(file) ? string.Join("\n", File.ReadLines(file).TakeLast(30)) : "(none)";

    public void Dispose()
    {
        if (_daemon is null) return;
        Stop(_daemon);
        _daemon.Dispose();
        // The socket, the pid file, containerd's state: nothing of it outlives the daemon.
        try { Directory.Delete(RunRoot, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        try { File.Delete(_log); } catch (IOException) { }
    }
}

public sealed record CommandResult(int Exit, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {Exit}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

internal static class Signal
{
    public static void Terminate(int pid)
    {
        if (kill(pid, 15) != 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != 3 /* ESRCH */)
            throw new InvalidOperationException($"kill({pid}, SIGTERM) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // a plain P/Invoke: LibraryImport would need unsafe code enabled for one call
    private static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
}
