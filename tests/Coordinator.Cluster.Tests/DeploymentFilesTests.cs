using System.Text.RegularExpressions;
using Coordinator.Cli.Node;
using Coordinator.Cluster.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// docker-compose.yml, scripts/local-cluster.sh and the README against what the program reads: only
/// COORDINATOR_* variables NodeOptions knows, values the reader accepts, seeds that are supervisor nodes at
/// their ports, health checks, graceful stop, storage shared by the supervisor-capable nodes.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private sealed record Service(string Name, YamlMappingNode Node, IReadOnlyDictionary<string, string> Environment)
    {
        public string? Value(string key) => Node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (v as YamlScalarNode)?.Value : null;

        public YamlNode? Child(string key) => Node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        public bool IsNode => Environment.ContainsKey("COORDINATOR_ROLES");

        public IReadOnlyList<string> Roles => Environment["COORDINATOR_ROLES"].Split(',', StringSplitOptions.TrimEntries);

        /// <summary>volume name or host path -> mount point.</summary>
        public IReadOnlyDictionary<string, string> Mounts =>
            (Child("volumes") as YamlSequenceNode)?.Children.Cast<YamlScalarNode>().Select(v => Interpolated(v.Value!).Split(':'))
                .ToDictionary(p => p[0], p => p[1]) ?? new Dictionary<string, string>();
    }

    private static readonly Lazy<YamlMappingNode> ComposeRoot = new(() =>
    {
        using var reader = new StreamReader(TestFiles.Repo("docker-compose.yml"));
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)Merged(stream.Documents.Single().RootNode);
    });

    /// <summary>
    /// YAML merge keys as docker compose applies them: a mapping's <c>&lt;&lt;: *anchor</c> adds the anchor's
    /// entries that the mapping does not set itself, recursively (YamlDotNet's MergingParser would repeat them).
    /// </summary>
    private static YamlNode Merged(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var result = new YamlMappingNode();
                var merge = new YamlScalarNode("<<");
                foreach (var (key, value) in mapping.Children)
                    if (!key.Equals(merge)) result.Children[key] = Merged(value);
                if (mapping.Children.TryGetValue(merge, out var sources))
                    foreach (var source in sources is YamlSequenceNode list ? list.Children : [sources])
                        foreach (var (key, value) in ((YamlMappingNode)Merged(source)).Children)
                            if (!result.Children.ContainsKey(key)) result.Children[key] = value;
                return result;
            case YamlSequenceNode sequence:
                return new YamlSequenceNode(sequence.Children.Select(Merged));
            default:
                return node;
        }
    }

    private static readonly Lazy<IReadOnlyList<Service>> Compose = new(ReadServices);

    private static IReadOnlyList<Service> ReadServices()
    {
        var services = (YamlMappingNode)ComposeRoot.Value.Children[new YamlScalarNode("services")];
        return services.Children.Select(s =>
        {
            var node = (YamlMappingNode)s.Value;
            var env = node.Children.TryGetValue(new YamlScalarNode("environment"), out var e)
                ? ((YamlMappingNode)e).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value ?? "")
                : new Dictionary<string, string>();
            return new Service(((YamlScalarNode)s.Key).Value!, node, env);
        }).ToList();
    }

    private static IReadOnlyList<Service> Nodes => Compose.Value.Where(s => s.IsNode).ToList();

    /// <summary>Compose's ${NAME:-default} with its default, as docker compose reads it without a .env file.</summary>
    private static string Interpolated(string value) => DefaultPattern().Replace(value, m => m.Groups[1].Value);

    [Fact]
    public void Compose_has_postgres_two_supervisor_seeds_and_workers()
    {
        Assert.Contains(Compose.Value, s => s.Name == "postgres");
        Assert.Equal(2, Nodes.Count(n => n.Roles.Contains(NodeRoles.Supervisor)));
        Assert.True(Nodes.Count(n => n.Roles.SequenceEqual([NodeRoles.Worker])) >= 2, "at least two worker-only nodes");
    }

    [Fact]
    public void Compose_sets_only_variables_NodeOptions_reads_and_values_it_accepts()
    {
        foreach (var node in Nodes)
        {
            var unknown = node.Environment.Keys.Where(k => k.StartsWith("COORDINATOR_", StringComparison.Ordinal)).Except(NodeOptions.EnvironmentVariables);
            Assert.True(!unknown.Any(), $"{node.Name} sets variables coordinator node does not read: {string.Join(", ", unknown)}");

            // The reader accepts the whole environment (files are on the image, so only options are read here).
            var inputs = new NodeInputs();
            foreach (var (name, value) in node.Environment) inputs.Env(name, Interpolated(value));
            var options = inputs.Read();
            Assert.Equal(node.Name, options.Host);
            Assert.Equal(node.Value("hostname"), options.Host);
        }
    }

    [Fact]
    public void Every_node_has_the_same_seeds_and_each_seed_is_a_supervisor_node_at_its_port()
    {
        var seeds = Nodes.Select(n => n.Environment["COORDINATOR_SEEDS"]).Distinct().ToList();
        Assert.Single(seeds);
        var parsed = seeds[0].Split(',').Select(s => NodeValues.Seed(s) ?? throw new Xunit.Sdk.XunitException($"seed {s} is not host:port")).ToList();
        Assert.Equal(2, parsed.Count);
        foreach (var seed in parsed)
        {
            var node = Nodes.SingleOrDefault(n => n.Environment["COORDINATOR_HOST"] == seed.Host);
            Assert.True(node is not null, $"seed {seed} is no node's COORDINATOR_HOST");
            Assert.Equal(seed.Port.ToString(), node.Environment["COORDINATOR_PORT"]);
            Assert.Contains(NodeRoles.Supervisor, node.Roles);
        }
    }

    [Fact]
    public void Nodes_have_health_checks_on_their_health_file_and_a_grace_period_to_leave()
    {
        foreach (var service in Compose.Value.Where(s => s.Name == "postgres" || s.IsNode))
        {
            var health = service.Child("healthcheck") as YamlMappingNode;
            Assert.True(health is not null, $"{service.Name} has no healthcheck");
            if (!service.IsNode) continue;

            var test = ((YamlSequenceNode)health.Children[new YamlScalarNode("test")]).Children.Cast<YamlScalarNode>().Select(n => n.Value).ToList();
            Assert.Equal(["CMD", "test", "-f", service.Environment["COORDINATOR_HEALTH_FILE"]], test);
            var grace = NodeValues.Duration(service.Value("stop_grace_period") ?? "");
            Assert.True(grace >= TimeSpan.FromSeconds(30), $"{service.Name}: stop_grace_period {service.Value("stop_grace_period")} leaves too little time to leave the cluster");
        }
    }

    [Fact]
    public void Supervisor_nodes_share_the_storage_volume_and_reach_postgres_and_every_node_mounts_its_certificates()
    {
        var supervisors = Nodes.Where(n => n.Roles.Contains(NodeRoles.Supervisor)).ToList();
        var shared = supervisors.Select(n => n.Mounts.Single(m => m.Value == n.Environment["COORDINATOR_SHARED"]).Key).Distinct().ToList();
        Assert.Single(shared);
        Assert.DoesNotContain('/', shared[0]); // a named volume, not a folder of one host
        var volumes = (YamlMappingNode)ComposeRoot.Value.Children[new YamlScalarNode("volumes")];
        Assert.Contains(new YamlScalarNode(shared[0]), volumes.Children.Keys);

        foreach (var node in supervisors)
        {
            Assert.Contains("Host=postgres;", node.Environment["COORDINATOR_JOURNAL"]);
            var dependsOn = (YamlMappingNode)node.Child("depends_on")!;
            Assert.Equal("service_healthy", ((YamlScalarNode)((YamlMappingNode)dependsOn.Children[new YamlScalarNode("postgres")]).Children[new YamlScalarNode("condition")]).Value);
        }

        foreach (var node in Nodes)
        {
            Assert.Equal("on", node.Environment["COORDINATOR_TLS"]);
            var certs = node.Mounts.Single(m => m.Key == "certs").Value;
            Assert.StartsWith(certs + "/", node.Environment["COORDINATOR_TLS_CERT"]);
            Assert.StartsWith(certs + "/", node.Environment["COORDINATOR_TLS_CA"]);
            Assert.Equal($"{certs}/{node.Name}.pfx", node.Environment["COORDINATOR_TLS_CERT"]);
        }

        var certsService = Compose.Value.Single(s => s.Name == "certs");
        var made = ((YamlSequenceNode)certsService.Child("entrypoint")!).Children.Cast<YamlScalarNode>().Select(n => n.Value).ToList();
        Assert.Equal(Nodes.Select(n => n.Name).Order(), made.Skip(2).Order());
    }

    [Fact]
    public void A_finished_run_stays_finished_nodes_restart_only_on_failure_under_an_init()
    {
        foreach (var node in Nodes)
        {
            // Nodes exit 0 when the run is over: unless-stopped / always would start them again and again;
            // a failed run exits 1 on every start, so the retries are bounded.
            Assert.Equal("on-failure:3", node.Value("restart"));
            Assert.Equal("true", node.Value("init"));
        }
    }

    [Fact]
    public void Every_node_mounts_the_run_configuration_and_its_data_read_only()
    {
        // Supervisors read the run; workers read the data it names themselves, at the same path.
        foreach (var node in Nodes)
        {
            if (node.Roles.Contains(NodeRoles.Supervisor))
                Assert.Equal("/training/hocon/digits.conf", Interpolated(node.Environment["COORDINATOR_RUN"]));
            var mounts = ((YamlSequenceNode)node.Child("volumes")!).Children.Cast<YamlScalarNode>().Select(v => Interpolated(v.Value!)).ToList();
            // digits.conf's data path is ../data/digits.csv.gz: the repository's layout, kept in the container.
            Assert.Contains("./hocon:/training/hocon:ro", mounts);
            Assert.Contains("./data:/training/data:ro", mounts);
        }
    }

    [Fact]
    public void The_local_override_builds_every_image_the_compose_file_uses_from_local_images_only()
    {
        using var reader = new StreamReader(TestFiles.Repo("docker-compose.local.yml"));
        var stream = new YamlStream();
        stream.Load(reader);
        var root = (YamlMappingNode)Merged(stream.Documents.Single().RootNode);
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        Assert.Equal(Compose.Value.Select(s => s.Name).Order(), services.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value).Order());
        foreach (var (key, value) in services.Children)
        {
            var service = (YamlMappingNode)value;
            var build = (YamlMappingNode)service.Children[new YamlScalarNode("build")];
            var args = (YamlMappingNode)build.Children[new YamlScalarNode("args")];
            var bases = args.Children.Where(a => ((YamlScalarNode)a.Key).Value!.EndsWith("_IMAGE", StringComparison.Ordinal))
                .Select(a => Interpolated(((YamlScalarNode)a.Value).Value!)).ToList();
            Assert.NotEmpty(bases);
            Assert.All(bases, b => Assert.StartsWith("localhost/", b));
            if (service.Children.TryGetValue(new YamlScalarNode("image"), out var image))
                Assert.StartsWith("localhost/", ((YamlScalarNode)image).Value);
            else
                Assert.Equal("published", ((YamlScalarNode)args.Children[new YamlScalarNode("BUILD")]).Value);
        }
    }

    private sealed record LocalNode(string Name, string Role, int Port);

    [Fact]
    public void The_local_script_sets_the_same_variables_as_compose_and_its_seeds_are_its_supervisors()
    {
        var script = File.ReadAllText(TestFiles.Repo("scripts/local-cluster.sh"));
        var variables = AssignmentPattern().Matches(script).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Empty(variables.Except(NodeOptions.EnvironmentVariables));
        var composeVariables = Nodes.SelectMany(n => n.Environment.Keys).Where(k => k.StartsWith("COORDINATOR_", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(composeVariables.Order(), variables.Order());

        var nodes = NodeLinePattern().Matches(script).Select(m => new LocalNode(m.Groups[1].Value, m.Groups[2].Value, int.Parse(m.Groups[3].Value))).ToList();
        Assert.Equal(Nodes.Select(n => (n.Name, string.Join(",", n.Roles))), nodes.Select(n => (n.Name, n.Role)));
        Assert.Equal(nodes.Count, nodes.Select(n => n.Port).Distinct().Count());

        var seeds = SeedsPattern().Match(script).Groups[1].Value.Split(',').Select(s => NodeValues.Seed(s)!).ToList();
        Assert.Equal(nodes.Where(n => n.Role == NodeRoles.Supervisor).Select(n => new SeedNode("127.0.0.1", n.Port)), seeds);
    }

    [Fact]
    public void The_readme_documents_every_variable()
    {
        var readme = File.ReadAllText(TestFiles.Repo("README.md"));
        foreach (var variable in NodeOptions.EnvironmentVariables)
            Assert.True(readme.Contains($"`{variable}`", StringComparison.Ordinal), $"README.md does not document {variable}");
    }

    [GeneratedRegex(@"\$\{[A-Z_]+:-([^}]*)\}")]
    private static partial Regex DefaultPattern();

    [GeneratedRegex(@"\b(COORDINATOR_[A-Z_]+)=")]
    private static partial Regex AssignmentPattern();

    [GeneratedRegex(@"^(node\d+) (supervisor|worker) (\d+)$", RegexOptions.Multiline)]
    private static partial Regex NodeLinePattern();

    [GeneratedRegex(@"^seeds=(\S+)$", RegexOptions.Multiline)]
    private static partial Regex SeedsPattern();
}
