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
        using var node = NodeProcess.Start(Worker(4053, "127.0.0.1:4053"), "--port", "abc");
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
        using var node = NodeProcess.Start(env);

        Assert.Equal(2, node.WaitForExit(Deadline));
        Assert.Equal($"error: --shared / COORDINATOR_SHARED = \"{_temp.Combine("not-mounted")}\": the shared storage folder does not exist (mount it, or create it, on every supervisor node)", node.Stderr);
        Assert.Equal("", node.Stdout);
    }

    [Fact]
    public void Sigterm_makes_a_node_leave_the_cluster_gracefully_and_exit_0()
    {
        var ports = FreePorts.Take(2);
        var seeds = $"127.0.0.1:{ports[0]}";
        var health = _temp.Combine("second.up");
        using var first = NodeProcess.Start(Worker(ports[0], seeds));
        var secondEnv = Worker(ports[1], seeds);
        secondEnv["COORDINATOR_HEALTH_FILE"] = health;
        using var second = NodeProcess.Start(secondEnv);

        var secondAddress = $"akka.tcp://coordinator@127.0.0.1:{ports[1]}";
        first.WaitForLine(Deadline, "member up: ", secondAddress);
        second.WaitForLine(Deadline, "member up: ", secondAddress, "(this node)");
        Assert.True(SpinWait.SpinUntil(() => File.Exists(health), Deadline), "the health file appears once the node is Up");

        second.Terminate();

        Assert.Equal(0, second.WaitForExit(Deadline));
        Assert.Contains("left the cluster", second.Stdout);
        // The first node saw it leave (Exiting, then Removed), not vanish (unreachable, then downed).
        first.WaitForLine(Deadline, "member removed (was exiting): ", secondAddress);
        Assert.DoesNotContain("member unreachable", first.Stdout);
        Assert.DoesNotContain("member downed", first.Stdout);
        Assert.False(File.Exists(health), "the health file is gone once the node has left");

        first.Terminate();
        Assert.Equal(0, first.WaitForExit(Deadline));
    }
}
