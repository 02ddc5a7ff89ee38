using System.Diagnostics;

namespace Coordinator.Cluster.Tests.Failover;

/// <summary>
/// Separate network namespaces with their own addresses, as compose gives each container: a bridge on
/// the host at 10.N.0.1/24 and, per namespace, a veth pair with 10.N.0.(2+i). <see cref="CutOff"/> takes
/// a namespace's link down, so its node can reach no one and no one can reach it. Needs root (CI runs
/// as root); <see cref="Available"/> says whether this process can do it.
/// </summary>
public sealed class NetworkNamespaces : IDisposable
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..6];
    private readonly int _subnet = Random.Shared.Next(100, 250);
    private readonly List<string> _namespaces = [];

    public NetworkNamespaces(int count)
    {
        try
        {
            Ip($"link add {Bridge} type bridge");
            Ip($"addr add {HostAddress}/24 dev {Bridge}");
            Ip($"link set {Bridge} up");
            for (var i = 0; i < count; i++)
            {
                var name = $"coord-{_tag}-{i}";
                Ip($"netns add {name}");
                _namespaces.Add(name);
                Ip($"link add {Veth(i)} type veth peer name eth0 netns {name}");
                Ip($"link set {Veth(i)} master {Bridge} up");
                Ip($"netns exec {name} ip addr add {Address(i)}/24 dev eth0");
                Ip($"netns exec {name} ip link set eth0 up");
                Ip($"netns exec {name} ip link set lo up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public static bool Available =>
        OperatingSystem.IsLinux() && Environment.UserName == "root" && new[] { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" }.Any(File.Exists);

    public string HostAddress => $"10.{_subnet}.0.1";

    public string Address(int i) => $"10.{_subnet}.0.{2 + i}";

    /// <summary>Runs a command inside namespace <paramref name="i"/>.</summary>
    public IReadOnlyList<string> Wrapper(int i) => ["ip", "netns", "exec", _namespaces[i]];

    public void CutOff(int i) => Ip($"link set {Veth(i)} down");

    private string Bridge => $"cbr{_tag}";

    private string Veth(int i) => $"cv{_tag}{i}";

    public void Dispose()
    {
        foreach (var name in _namespaces) TryIp($"netns del {name}");
        TryIp($"link del {Bridge}");
    }

    private static void Ip(string arguments)
    {
        var (exit, error) = Run(arguments);
        if (exit != 0) throw new InvalidOperationException($"ip {arguments} failed ({exit}): {error}");
    }

    private static void TryIp(string arguments) => Run(arguments);

    private static (int Exit, string Error) Run(string arguments)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments.Split(' ')) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Trim());
    }
}

/// <summary>A test on PostgreSQL that also needs network namespaces: skipped where the tests do not run as root.</summary>
public sealed class NetworkNamespacesFactAttribute : FactAttribute
{
    public NetworkNamespacesFactAttribute()
    {
        if (Support.PostgresServer.Skipped) Skip = $"{Support.PostgresServer.Variable}=skip: no PostgreSQL here";
        else if (!NetworkNamespaces.Available) Skip = "needs root and iproute2 for network namespaces (CI runs as root)";
    }
}
