using Coordinator.Actors.TestSupport;
using Coordinator.Cluster.Tests.Support;

namespace Coordinator.Cluster.Tests;

/// <summary>The real <c>coordinator node</c> process: bad input exits 2 naming the field; SIGTERM leaves the cluster gracefully.</summary>
public sealed class NodeCommandTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string> Worker(int port, string seeds) => new()
    {
        ["COORDINATOR_ROLES"] = "worker",
        ["COORDINATOR_HOST"] = "127.0.0.1",
        ["COORDINATOR_PORT"] = port.ToString(),
        ["COORDINATOR_SEEDS"] = seeds,
    };

    [Fact]
    public void A_bad_flag_value_exits_2_naming_flag_variable_value_and_what_is_allowed_and_the_flag_beats_the_variable()
    {
        using var node = CoordinatorProcess.Start(["node", "--port", "abc"], Worker(4053, "127.0.0.1:4053"));
        Assert.Equal(2, node.WaitForExit(Deadline));
        Assert.Equal("error: --port / COORDINATOR_PORT = \"abc\" (from --port): a whole number from 0 to 65535 (0: any free port)", node.Stderr);
    }

    [Fact]
    public void A_supervisor_without_its_shared_folder_exits_2_before_it_joins_anything()
    {
        var env = Worker(4053, "127.0.0.1:4053");
        env["COORDINATOR_ROLES"] = "supervisor,worker";
        env["COORDINATOR_RUN"] = TestFiles.DigitsConf;
        env["COORDINATOR_JOURNAL"] = "Host=127.0.0.1;Database=coordinator";
        env["COORDINATOR_SHARED"] = _temp.Combine("not-mounted");
        using var node = CoordinatorProcess.Start(["node"], env);

        Assert.Equal(2, node.WaitForExit(Deadline));
        Assert.Equal($"error: --shared / COORDINATOR_SHARED = \"{_temp.Combine("not-mounted")}\": the shared storage folder does not exist (mount it, or create it, on every supervisor node)", node.Stderr);
        Assert.Equal("", node.Stdout);
    }

    [Fact]
    public void A_supervisor_node_whose_journal_cannot_start_exits_1_saying_so_in_one_line()
    {
        // Nothing listens on port 1: the journal plug-in cannot start (it would restart forever, logging each time).
        var port = FreePorts.Take(1)[0];
        var env = Worker(port, $"127.0.0.1:{port}");
        env["COORDINATOR_ROLES"] = "supervisor,worker";
        env["COORDINATOR_RUN"] = TestFiles.DigitsConf;
        env["COORDINATOR_JOURNAL"] = "Host=127.0.0.1;Port=1;Database=coordinator;Username=coordinator;Password=secret;Timeout=3";
        env["COORDINATOR_SHARED"] = _temp.Combine("shared");
        Directory.CreateDirectory(env["COORDINATOR_SHARED"]);
        using var node = CoordinatorProcess.Start(["node"], env);

        Assert.Equal(1, node.WaitForExit(Deadline));
        var errors = node.Lines.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).ToList();
        var line = Assert.Single(errors);
        Assert.StartsWith("error: the ", line);
        Assert.Contains("could not start", line);
        Assert.DoesNotContain("   at ", node.Stdout + node.Stderr);
        Assert.DoesNotContain("secret", node.Stdout + node.Stderr);
        // journal.json names the journal for history and runs, without its password.
        var recorded = File.ReadAllText(Path.Combine(env["COORDINATOR_SHARED"], "digits", "journal.json"));
        Assert.DoesNotContain("secret", recorded);
        Assert.Contains("Port=1", recorded);
    }

    [Fact]
    public void Sigterm_makes_a_node_leave_the_cluster_gracefully_and_exit_0()
    {
        var ports = FreePorts.Take(2);
        var seeds = $"127.0.0.1:{ports[0]}";
        var health = _temp.Combine("second.up");
        using var first = CoordinatorProcess.Start(["node"], Worker(ports[0], seeds));
        var secondEnv = Worker(ports[1], seeds);
        secondEnv["COORDINATOR_HEALTH_FILE"] = health;
        using var second = CoordinatorProcess.Start(["node"], secondEnv);

        var secondAddress = $"akka.tcp://coordinator@127.0.0.1:{ports[1]}";
        first.WaitForLineWith(Deadline, "member up: ", secondAddress);
        second.WaitForLineWith(Deadline, "member up: ", secondAddress, "(this node)");
        Assert.True(SpinWait.SpinUntil(() => File.Exists(health), Deadline), "the health file appears once the node is Up");

        second.Terminate();

        Assert.Equal(0, second.WaitForExit(Deadline));
        Assert.Contains("left the cluster", second.Stdout);
        // The first node saw it leave (Exiting, then Removed), not vanish (unreachable, then downed).
        first.WaitForLineWith(Deadline, "member removed (was exiting): ", secondAddress);
        Assert.DoesNotContain("member unreachable", first.Stdout);
        Assert.DoesNotContain("member downed", first.Stdout);
        Assert.False(File.Exists(health), "the health file is gone once the node has left");

        first.Terminate();
        Assert.Equal(0, first.WaitForExit(Deadline));

        // Akka's singleton proxy used to warn at every start, before the cluster had even formed.
        Assert.DoesNotContain("ClusterSingletonProxy failed to find", first.Stdout + first.Stderr + second.Stdout + second.Stderr);
    }

    [Fact]
    public void A_node_that_finds_no_supervisor_says_so_after_the_identification_period()
    {
        var port = FreePorts.Take(1)[0];
        var env = Worker(port, $"127.0.0.1:{port}");
        env["COORDINATOR_CONFIG"] = _temp.File("short.conf", "akka.cluster.singleton-proxy.singleton-identification-failure-period = 2s\n");
        using var node = CoordinatorProcess.Start(["node"], env);

        node.WaitForLineWith(Deadline, "member up: ", "(this node)");
        // No supervisor-role node at all: the warning comes, once the period is over, and names what is missing.
        var line = node.WaitForLineWith(Deadline, "no training supervisor found after 2s");
        Assert.Contains("the role supervisor", line);
        Assert.DoesNotContain("ClusterSingletonProxy failed to find", node.Stdout);

        node.Terminate();
        Assert.Equal(0, node.WaitForExit(Deadline));
    }
}
