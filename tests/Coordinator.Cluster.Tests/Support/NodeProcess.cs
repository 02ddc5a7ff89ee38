using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Coordinator.Cluster.Tests.Support;

/// <summary>
/// <c>dotnet coordinator.dll node</c> as a child process, with only the COORDINATOR_* variables a test
/// gives it, its output collected line by line (a test can wait for a line), and SIGTERM as docker sends it.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly object _gate = new(); // Monitor.Wait/PulseAll on it
    private readonly List<string> _out = [];
    private readonly List<string> _err = [];
    private bool _outClosed;

    private NodeProcess(Process process) => _process = process;

    /// <summary>src/Coordinator.Cli's build output, recorded in this assembly at build time (see the .csproj).</summary>
    public static string Dll { get; } = typeof(NodeProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "CoordinatorDll")?.Value
        ?? throw new InvalidOperationException("this test assembly does not say where coordinator.dll is (CoordinatorDll metadata)");

    public string Stdout
    {
        get
        {
            lock (_gate) return string.Join("\n", _out);
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate) return string.Join("\n", _err);
        }
    }

    public static NodeProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(Dll);
        info.ArgumentList.Add("node");
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("COORDINATOR_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        foreach (var (name, value) in environment) info.Environment[name] = value;

        var process = new Process { StartInfo = info };
        var node = new NodeProcess(process);
        process.OutputDataReceived += (_, e) => node.Received(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (node._gate) node._err.Add(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>The first line (printed already or to come) containing every one of <paramref name="parts"/>.</summary>
    public string WaitForLine(TimeSpan timeout, params string[] parts)
    {
        var clock = Stopwatch.StartNew();
        lock (_gate)
        {
            var seen = 0;
            while (true)
            {
                for (; seen < _out.Count; seen++)
                    if (parts.All(p => _out[seen].Contains(p, StringComparison.Ordinal))) return _out[seen];
                if (_outClosed)
                    throw new InvalidOperationException($"the node ended before printing a line with {string.Join(" + ", parts)}.\n{this}");
                var left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                    throw new TimeoutException($"no line with {string.Join(" + ", parts)} within {timeout.TotalSeconds:0} s.\n{this}");
                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>SIGTERM, as <c>docker stop</c> sends it.</summary>
    public void Terminate()
    {
        if (kill(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>The exit code; kills the process and fails after <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the node did not end within {timeout.TotalSeconds:0} s.\n{this}");
        }
        _process.WaitForExit(); // the last output lines
        return _process.ExitCode;
    }

    public override string ToString() => $"stdout:\n{Stdout}\nstderr:\n{Stderr}";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
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

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // a plain P/Invoke: LibraryImport would need unsafe code enabled for one call
    private static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
