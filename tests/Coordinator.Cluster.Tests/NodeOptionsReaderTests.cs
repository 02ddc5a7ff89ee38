using Coordinator.Cli.Node;
using Coordinator.Cluster.Tests.Support;

namespace Coordinator.Cluster.Tests;

/// <summary>How flags, COORDINATOR_* variables and the HOCON file merge into <see cref="NodeOptions"/>, and the errors.</summary>
public sealed class NodeOptionsReaderTests
{
    [Fact]
    public void A_worker_needs_only_roles_and_seeds_and_takes_the_rest_from_cluster_conf()
    {
        var o = new NodeInputs().Env("COORDINATOR_ROLES", "worker").Env("COORDINATOR_SEEDS", "127.0.0.1:4053").Read();

        Assert.Equal(["worker"], o.Roles);
        Assert.Equal("127.0.0.1", o.Host);
        Assert.Equal("127.0.0.1", o.BindHost);
        Assert.Equal(4053, o.Port);
        Assert.Equal([new SeedNode("127.0.0.1", 4053)], o.Seeds);
        Assert.Equal(new FailureDetection(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 10.0, TimeSpan.FromSeconds(15)), o.FailureDetection);
        Assert.Equal("WARNING", o.LogLevel);
        Assert.Null(o.Tls);
        Assert.Null(o.RunPath);
        Assert.Null(o.SharedPath);
        Assert.Null(o.Journal);
        Assert.Null(o.HealthFile);
        Assert.True(o.IsWorker);
        Assert.False(o.IsSupervisor);
    }

    [Fact]
    public void A_flag_wins_over_its_variable_which_wins_over_the_hocon_file()
    {
        var inputs = NodeInputs.Worker();
        inputs.Hocon = "akka.remote.dot-netty.tcp.port = 5001";
        inputs.Environment.Remove("COORDINATOR_PORT");
        Assert.Equal(5001, inputs.Read().Port);

        inputs.Env("COORDINATOR_PORT", "5002");
        Assert.Equal(5002, inputs.Read().Port);

        inputs.Flag("--port", "5003");
        Assert.Equal(5003, inputs.Read().Port);
    }

    [Fact]
    public void An_empty_variable_counts_as_unset()
    {
        var o = NodeInputs.Worker().Env("COORDINATOR_PORT", "").Env("COORDINATOR_TLS", "").Env("COORDINATOR_RUN", "").Read();

        Assert.Equal(4053, o.Port);
        Assert.Null(o.Tls);
        Assert.Null(o.RunPath);
    }

    [Fact]
    public void Errors_name_flag_and_variable_the_value_where_it_came_from_and_what_is_allowed()
    {
        var fromEnv = NodeInputs.Worker().Env("COORDINATOR_PORT", "abc").Error();
        Assert.Equal("--port / COORDINATOR_PORT = \"abc\" (from COORDINATOR_PORT): a whole number from 0 to 65535 (0: any free port)", fromEnv.Message);

        var fromFlag = NodeInputs.Worker().Flag("--port", "70000").Error();
        Assert.Contains("= \"70000\" (from --port)", fromFlag.Message);

        var inputs = NodeInputs.Worker();
        inputs.Environment.Remove("COORDINATOR_PORT");
        inputs.Hocon = "akka.remote.dot-netty.tcp.port = -1";
        Assert.Contains("= \"-1\" (from akka.remote.dot-netty.tcp.port in site.conf)", inputs.Error().Message);
    }

    [Fact]
    public void Roles_are_a_comma_list_of_known_roles_in_any_case_without_repeats()
    {
        var o = NodeInputs.Worker().Env("COORDINATOR_ROLES", "worker").Flag("--roles", " Worker, SUPERVISOR ,worker").Env("COORDINATOR_JOURNAL", "Host=db")
            .Env("COORDINATOR_RUN", "run.conf").Env("COORDINATOR_SHARED", "shared").Read();
        Assert.Equal(["worker", "supervisor"], o.Roles);

        var unknown = NodeInputs.Worker().Env("COORDINATOR_ROLES", "worker,trainer").Error();
        Assert.Equal("--roles / COORDINATOR_ROLES = \"worker,trainer\" (from COORDINATOR_ROLES): unknown role \"trainer\"; a comma-separated list of: supervisor, worker", unknown.Message);

        var none = NodeInputs.Worker().Env("COORDINATOR_ROLES", " , ").Error();
        Assert.StartsWith("--roles / COORDINATOR_ROLES = (not set): a node needs at least one role", none.Message);
    }

    [Fact]
    public void Roles_and_seeds_can_come_from_the_hocon_file()
    {
        var inputs = new NodeInputs
        {
            Hocon = """
                akka.cluster.roles = [supervisor]
                akka.cluster.seed-nodes = ["akka.tcp://coordinator@node1:4053", "akka.ssl.tcp://coordinator@node2:4054"]
                """,
        };
        inputs.Env("COORDINATOR_RUN", "run.conf").Env("COORDINATOR_SHARED", "/shared").Env("COORDINATOR_JOURNAL", "Host=db");
        var o = inputs.Read();

        Assert.Equal(["supervisor"], o.Roles);
        Assert.Equal([new SeedNode("node1", 4053), new SeedNode("node2", 4054)], o.Seeds);
    }

    [Fact]
    public void Seeds_are_host_port_pairs_ipv6_in_brackets_repeats_dropped()
    {
        var o = NodeInputs.Worker().Env("COORDINATOR_SEEDS", "node1:4053, [::1]:4054,node1:4053,10.0.0.7:4055").Read();
        Assert.Equal([new SeedNode("node1", 4053), new SeedNode("::1", 4054), new SeedNode("10.0.0.7", 4055)], o.Seeds);
        Assert.Equal("[::1]:4054", o.Seeds[1].ToString());

        foreach (var bad in new[] { "node1", "node1:0", "node1:x", "no de:4053", "::1:4053" })
        {
            var e = NodeInputs.Worker().Env("COORDINATOR_SEEDS", bad).Error();
            Assert.StartsWith($"--seeds / COORDINATOR_SEEDS = \"{bad}\" (from COORDINATOR_SEEDS): \"{bad}\" is not host:port", e.Message);
        }

        var none = NodeInputs.Worker().Env("COORDINATOR_SEEDS", null).Error();
        Assert.StartsWith("--seeds / COORDINATOR_SEEDS = (not set): at least one seed node", none.Message);
    }

    [Fact]
    public void The_bind_host_follows_the_host_unless_set_and_a_wildcard_host_is_refused()
    {
        var o = NodeInputs.Worker().Env("COORDINATOR_HOST", "node3").Read();
        Assert.Equal(("node3", "node3"), (o.Host, o.BindHost));

        o = NodeInputs.Worker().Env("COORDINATOR_HOST", "node3").Env("COORDINATOR_BIND_HOST", "0.0.0.0").Read();
        Assert.Equal(("node3", "0.0.0.0"), (o.Host, o.BindHost));

        var wildcard = NodeInputs.Worker().Env("COORDINATOR_HOST", "0.0.0.0").Error();
        Assert.Contains("other nodes cannot reach a wildcard address", wildcard.Message);
        Assert.StartsWith("--host / COORDINATOR_HOST = \"0.0.0.0\"", wildcard.Message);

        var bad = NodeInputs.Worker().Flag("--host", "not a host").Error();
        Assert.StartsWith("--host / COORDINATOR_HOST = \"not a host\" (from --host): a host name or an IP address", bad.Message);
    }

    [Fact]
    public void A_supervisor_needs_the_run_configuration_the_shared_storage_and_the_journal()
    {
        var inputs = NodeInputs.Worker().Env("COORDINATOR_ROLES", "supervisor");
        Assert.StartsWith("--run / COORDINATOR_RUN = (not set): a run configuration file", inputs.Error().Message);

        inputs.Env("COORDINATOR_RUN", "hocon/digits.conf");
        Assert.StartsWith("--shared / COORDINATOR_SHARED = (not set): a writable folder shared by every supervisor node", inputs.Error().Message);

        inputs.Env("COORDINATOR_SHARED", "/shared");
        Assert.StartsWith("--journal / COORDINATOR_JOURNAL = (not set): a PostgreSQL connection string", inputs.Error().Message);

        var o = inputs.Env("COORDINATOR_JOURNAL", "Host=postgres;Database=coordinator;Username=c;Password=secret").Read();
        Assert.Equal(Path.GetFullPath("hocon/digits.conf"), o.RunPath);
        Assert.Equal("/shared", o.SharedPath);
        Assert.Equal("Host=postgres;Database=coordinator;Username=c;Password=secret", o.Journal);
    }

    [Fact]
    public void A_journal_that_is_not_a_connection_string_is_refused_without_showing_it()
    {
        var bad = NodeInputs.Worker().Env("COORDINATOR_JOURNAL", "Password=secret;Colour=blue").Error();
        Assert.StartsWith("--journal / COORDINATOR_JOURNAL = (not shown: it may hold a password) (from COORDINATOR_JOURNAL): a PostgreSQL connection string", bad.Message);
        Assert.DoesNotContain("secret", bad.Message);

        var noHost = NodeInputs.Worker().Env("COORDINATOR_JOURNAL", "Database=x;Password=secret").Error();
        Assert.Contains("Host is missing", noHost.Message);
        Assert.DoesNotContain("secret", noHost.Message);
    }

    [Fact]
    public void Tls_on_needs_a_certificate_and_the_cluster_ca_and_a_certificate_without_tls_is_refused()
    {
        var inputs = NodeInputs.Worker().Env("COORDINATOR_TLS", "on");
        Assert.StartsWith("--tls-cert / COORDINATOR_TLS_CERT = (not set)", inputs.Error().Message);
        inputs.Env("COORDINATOR_TLS_CERT", "node1.pfx");
        Assert.StartsWith("--tls-ca / COORDINATOR_TLS_CA = (not set)", inputs.Error().Message);
        var o = inputs.Env("COORDINATOR_TLS_CA", "ca.crt").Env("COORDINATOR_TLS_PASSWORD", "pw").Read();
        Assert.Equal(new NodeTlsOptions(Path.GetFullPath("node1.pfx"), "pw", Path.GetFullPath("ca.crt")), o.Tls);

        var half = NodeInputs.Worker().Env("COORDINATOR_TLS_CERT", "node1.pfx").Error();
        Assert.Contains("(from COORDINATOR_TLS_CERT): TLS is off: set --tls / COORDINATOR_TLS = on to use it", half.Message);

        var bad = NodeInputs.Worker().Env("COORDINATOR_TLS", "maybe").Error();
        Assert.Equal("--tls / COORDINATOR_TLS = \"maybe\" (from COORDINATOR_TLS): on or off", bad.Message);
    }

    [Fact]
    public void Failure_detection_takes_durations_with_units_and_a_positive_threshold()
    {
        var o = NodeInputs.Worker().Env("COORDINATOR_HEARTBEAT_INTERVAL", "500ms").Env("COORDINATOR_FAILURE_TIMEOUT", "1.5m")
            .Env("COORDINATOR_FAILURE_THRESHOLD", "12.5").Flag("--down-after", "20 s").Read();
        Assert.Equal(new FailureDetection(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(90), 12.5, TimeSpan.FromSeconds(20)), o.FailureDetection);

        var noUnit = NodeInputs.Worker().Env("COORDINATOR_FAILURE_TIMEOUT", "10").Error();
        Assert.Equal("--failure-timeout / COORDINATOR_FAILURE_TIMEOUT = \"10\" (from COORDINATOR_FAILURE_TIMEOUT): " + NodeValues.DurationAllowed, noUnit.Message);

        // Beyond a timer's range (int milliseconds): an error, not an OverflowException.
        var huge = NodeInputs.Worker().Env("COORDINATOR_HEARTBEAT_INTERVAL", "99999999999999h").Error();
        Assert.Equal("--heartbeat-interval / COORDINATOR_HEARTBEAT_INTERVAL = \"99999999999999h\" (from COORDINATOR_HEARTBEAT_INTERVAL): " + NodeValues.DurationAllowed, huge.Message);

        var zero = NodeInputs.Worker().Env("COORDINATOR_DOWN_AFTER", "0s").Error();
        Assert.StartsWith("--down-after / COORDINATOR_DOWN_AFTER = \"0s\"", zero.Message);

        var shorter = NodeInputs.Worker().Env("COORDINATOR_HEARTBEAT_INTERVAL", "2s").Env("COORDINATOR_FAILURE_TIMEOUT", "1s").Error();
        Assert.StartsWith("--failure-timeout / COORDINATOR_FAILURE_TIMEOUT = \"1s\" (from COORDINATOR_FAILURE_TIMEOUT): must be at least the heartbeat interval (2s)", shorter.Message);

        foreach (var bad in new[] { "0", "-3", "abc", "NaN" })
            Assert.StartsWith($"--failure-threshold / COORDINATOR_FAILURE_THRESHOLD = \"{bad}\"", NodeInputs.Worker().Env("COORDINATOR_FAILURE_THRESHOLD", bad).Error().Message);
    }

    [Fact]
    public void The_log_level_is_one_of_akkas()
    {
        Assert.Equal("DEBUG", NodeInputs.Worker().Env("COORDINATOR_LOG_LEVEL", "debug").Read().LogLevel);
        Assert.Equal("--log-level / COORDINATOR_LOG_LEVEL = \"loud\" (from COORDINATOR_LOG_LEVEL): DEBUG | INFO | WARNING | ERROR | OFF",
            NodeInputs.Worker().Env("COORDINATOR_LOG_LEVEL", "loud").Error().Message);
    }

    [Fact]
    public void The_config_path_comes_from_the_flag_or_the_variable_else_the_shipped_file()
    {
        var env = new Dictionary<string, string?> { ["COORDINATOR_CONFIG"] = "site.conf" };
        Assert.Equal(Path.GetFullPath("site.conf"), NodeOptionsReader.ConfigPath(new Dictionary<string, string>(), env, "/shipped.conf"));
        Assert.Equal(Path.GetFullPath("flag.conf"), NodeOptionsReader.ConfigPath(new Dictionary<string, string> { ["--config"] = "flag.conf" }, env, "/shipped.conf"));
        Assert.Equal("/shipped.conf", NodeOptionsReader.ConfigPath(new Dictionary<string, string>(), new Dictionary<string, string?>(), "/shipped.conf"));
    }

    [Fact]
    public void Every_field_has_its_own_variable_and_flag_and_the_password_has_no_flag()
    {
        var fields = NodeFields.All;
        Assert.All(NodeOptions.EnvironmentVariables, v => Assert.Matches("^COORDINATOR_[A-Z_]+$", v));
        Assert.Equal(fields.Count, NodeOptions.EnvironmentVariables.Distinct().Count());
        Assert.Equal(fields.Count(f => f.Flag is not null), fields.Where(f => f.Flag is not null).Select(f => f.Flag).Distinct().Count());
        Assert.Null(NodeFields.TlsPassword.Flag);
    }
}
