using System.Diagnostics;
using System.Reflection;
using Coordinator.Core.Storage;

namespace Coordinator.Actors.TestSupport;

/// <summary>
/// The real <c>coordinator</c> executable as a child process: <c>dotnet coordinator.dll ARGS</c>, with
/// its standard output collected line by line (so a test can wait for a line) and a hard kill (SIGKILL,
/// the whole process tree), as a crash or an OOM killer would end it.
/// </summary>
public sealed class CoordinatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly object _gate = new(); // Monitor.Wait/PulseAll on it, so not a System.Threading.Lock
    private readonly List<string> _out = [];
    private readonly List<string> _err = [];
    private bool _outClosed;

    private CoordinatorProcess(Process process) => _process = process;

    /// <summary>
    /// src/Coordinator.Cli's build output, recorded in this assembly at build time (see the .csproj: the
    /// ProjectReference builds the CLI before this project, and its TargetPath is stored as metadata).
    /// </summary>
    public static string Dll { get; } = Locate();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate) return _out.ToArray();
        }
    }

    public string Stdout => string.Join("\n", Lines);

    public string Stderr
    {
        get
        {
            lock (_gate) return string.Join("\n", _err);
        }
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>Starts <c>dotnet coordinator.dll</c> with <paramref name="args"/>. The fault-injection
    /// variable is cleared unless <paramref name="environment"/> sets it.</summary>
    /// <param name="wrapper">A command to run it under, e.g. <c>ip netns exec NAME</c> (null: none).</param>
    public static CoordinatorProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<string>? wrapper = null)
    {
        var info = new ProcessStartInfo(wrapper is { Count: > 0 } ? wrapper[0] : DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (wrapper is { Count: > 0 })
        {
            foreach (var w in wrapper.Skip(1)) info.ArgumentList.Add(w);
            info.ArgumentList.Add(DotnetHost);
        }
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        // Only the COORDINATOR_* settings a test gives (the fault-injection knob among them) reach the process.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("COORDINATOR_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;

        var process = new Process { StartInfo = info };
        var child = new CoordinatorProcess(process);
        process.OutputDataReceived += (_, e) => child.Received(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (child._gate) child._err.Add(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs to the end (killed after <paramref name="timeout"/>, default 3 minutes).</summary>
    public static Result Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        using var process = Start(args, environment);
        var exit = process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3));
        return new Result(exit, process.Stdout, process.Stderr);
    }

    /// <summary>The first line (already printed or still to come) that matches; fails when the process ends
    /// or the time runs out first, showing what it printed.</summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout) => WaitForLine(match, timeout, after: 0);

    /// <summary>As <see cref="WaitForLine(Func{string, bool}, TimeSpan)"/>, among the lines after the first <paramref name="after"/>.</summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout, int after)
    {
        var clock = Stopwatch.StartNew();
        lock (_gate)
        {
            var seen = after;
            while (true)
            {
                for (; seen < _out.Count; seen++)
                    if (match(_out[seen])) return _out[seen];
                if (_outClosed)
                    throw new InvalidOperationException($"coordinator ended before printing the line waited for.\nstdout:\n{string.Join("\n", _out)}\nstderr:\n{string.Join("\n", _err)}");
                var left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                    throw new TimeoutException($"coordinator did not print the line waited for within {timeout.TotalSeconds:0}s.\nstdout:\n{string.Join("\n", _out)}");
                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>The first line (printed already or to come) containing every one of <paramref name="parts"/>.</summary>
    public string WaitForLineWith(TimeSpan timeout, params string[] parts) =>
        WaitForLine(line => parts.All(p => line.Contains(p, StringComparison.Ordinal)), timeout);

    /// <summary>SIGINT, as Ctrl+C in a terminal sends it.</summary>
    public void Interrupt() => Signal(SigInt);

    /// <summary>SIGTERM, as <c>docker stop</c> sends it.</summary>
    public void Terminate() => Signal(SigTerm);

    /// <summary>SIGSTOP: the process stops where it is (a kill point can then be checked before the SIGKILL).</summary>
    public void Freeze() => Signal(SigStop);

    /// <summary>SIGCONT after <see cref="Freeze"/>.</summary>
    public void Thaw() => Signal(SigCont);

    /// <summary>SIGKILL to the process and its children; returns once it is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Waits for the exit (killing the process and failing after <paramref name="timeout"/>); its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"coordinator did not end within {timeout.TotalSeconds:0}s.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        _process.WaitForExit(); // the last output lines
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    private void Received(string? line)
    {
        lock (_gate)
        {
            if (line is null) _outClosed = true;
            else _out.Add(line);
            Monitor.PulseAll(_gate);
        }
    }

    private const int SigInt = 2, SigTerm = 15, SigCont = 18, SigStop = 19; // Linux

    private void Signal(int signal)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the signal numbers here are Linux's");
        if (kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // a plain P/Invoke: LibraryImport would need unsafe code enabled for one call
    private static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string Locate()
    {
        // The test assembly that starts processes records it (see Coordinator.Recovery.Tests.csproj).
        var path = AppDomain.CurrentDomain.GetAssemblies()
            .SelectMany(a => a.GetCustomAttributes<AssemblyMetadataAttribute>())
            .FirstOrDefault(a => a.Key == "CoordinatorDll")?.Value;
        if (string.IsNullOrEmpty(path))
            throw new InvalidOperationException("no loaded test assembly says where coordinator.dll is (the CoordinatorDll metadata that its .csproj records at build time)");
        if (!File.Exists(path))
            throw new InvalidOperationException($"coordinator.dll is not at {path}, where src/Coordinator.Cli was built when this project was; build again");
        return path;
    }

    public sealed record Result(int Exit, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {Exit}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }
}
