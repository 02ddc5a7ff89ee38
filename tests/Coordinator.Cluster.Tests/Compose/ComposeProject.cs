using System.Diagnostics;
using System.Text;

namespace Coordinator.Cluster.Tests.Compose;

/// <summary>
/// One compose project of the repository's docker-compose.yml with docker-compose.local.yml (the images
/// <see cref="LocalImages"/> built) and a test override: PostgreSQL's port published on loopback (the
/// test reads the journal) and the extra variables a test gives a service (e.g. the step delay). <c>RUN_*</c> variables choose the run as
/// a user would. <see cref="Down"/> is <c>docker-compose down -v</c>.
/// </summary>
public sealed class ComposeProject : IDisposable
{
    public static readonly string[] NodeNames = ["node1", "node2", "node3", "node4"];
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    private readonly DockerEngine _engine;
    private readonly string _repo;
    private readonly string _override;
    private readonly Dictionary<string, string> _variables;
    private readonly Dictionary<string, string> _containers = [];
    private bool _down;

    public ComposeProject(DockerEngine engine, string repo, IReadOnlyDictionary<string, string> variables,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? serviceEnvironment = null)
    {
        _engine = engine;
        _repo = repo;
        Name = $"coordtest{Guid.NewGuid():N}"[..18];
        PostgresPort = Failover.LocalClusterRun.FreePort();
        _override = Path.Combine(Path.GetTempPath(), $"{Name}.override.yml");
        File.WriteAllText(_override, Override(PostgresPort, serviceEnvironment));
        _variables = new Dictionary<string, string>(variables) { ["COMPOSE_PROJECT_NAME"] = Name };
    }

    public string Name { get; }

    public int PostgresPort { get; }

    /// <summary>The journal's database, as the nodes reach it, here through the published port.</summary>
    public string JournalConnection => $"Host=127.0.0.1;Port={PostgresPort};Database=coordinator;Username=coordinator;Password=coordinator;Pooling=false";

    /// <summary>docker-compose up -d: returns once PostgreSQL is healthy, the certificates made and the nodes started.</summary>
    public void Up()
    {
        lock (_containers) _containers.Clear();
        Compose("up", "-d", "--no-build");
    }

    public string Compose(params string[] args) =>
        _engine.Checked(_engine.Compose, ["-f", "docker-compose.yml", "-f", "docker-compose.local.yml", "-f", _override, .. args],
            CommandTimeout, _variables, _repo);

    /// <summary>The service's container (a restart keeps it; only <see cref="Up"/> makes new ones). Looked up
    /// once: docker-compose is slow to start, and the tests poll.</summary>
    public string Container(string service)
    {
        lock (_containers)
        {
            if (_containers.TryGetValue(service, out var known)) return known;
            var id = Compose("ps", "-q", service).Trim();
            if (id.Length == 0) throw new InvalidOperationException($"{service} has no container in {Name}");
            return _containers[service] = id;
        }
    }

    /// <summary>The container's state: status (running, exited, ...), exit code, restarts, health (or "").</summary>
    public ContainerState State(string service)
    {
        var fields = _engine.Docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}} {{if .State.Health}}{{.State.Health.Status}}{{end}}",
            Container(service)).Trim().Split(' ');
        return new ContainerState(fields[0], int.Parse(fields[1]), int.Parse(fields[2]), fields.Length > 3 ? fields[3] : "");
    }

    /// <summary>What the service's process printed (stdout and stderr).</summary>
    public string Logs(string service)
    {
        var result = _engine.Run(_engine.Client, ["logs", Container(service)], CommandTimeout);
        return result.Stdout + result.Stderr;
    }

    public IReadOnlyList<string> Lines(string service) => Logs(service).Split('\n', StringSplitOptions.TrimEntries);

    /// <summary>Polls until one of <paramref name="services"/> has printed a matching line; the service and the line.</summary>
    public (string Service, string Line) WaitForLine(IReadOnlyList<string> services, Func<string, bool> match, TimeSpan timeout, IReadOnlyDictionary<string, int>? after = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            foreach (var service in services)
                if (Lines(service).Skip(after?.GetValueOrDefault(service) ?? 0).FirstOrDefault(match) is { } line) return (service, line);
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"no line waited for within {timeout.TotalSeconds:0} s in {string.Join(", ", services)}\n{Describe()}");
            Thread.Sleep(500);
        }
    }

    public void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s\n{Describe()}");
            Thread.Sleep(1000);
        }
    }

    /// <summary>docker kill (SIGKILL): the node's process dies at once, as in a crash.</summary>
    public void Kill(string service) => _engine.Docker("kill", Container(service));

    /// <summary>Copies the run folder from the shared volume (through a supervisor node's container, running or not).</summary>
    public string CopyRunFolder(string service, string runId, string destination)
    {
        _engine.Docker("cp", $"{Container(service)}:/shared/{runId}", destination);
        return Path.Combine(destination, runId);
    }

    /// <summary>docker-compose down -v, then what is left of the project: containers, volumes, networks (each line one).</summary>
    public IReadOnlyList<string> Down()
    {
        _down = true;
        Compose("down", "-v", "--remove-orphans", "--timeout", "30");
        var label = $"label=com.docker.compose.project={Name}";
        return new[] { "ps", "volume", "network" }
            .SelectMany(kind => _engine.Docker(kind == "ps" ? ["ps", "-a", "-q", "--filter", label] : [kind, "ls", "-q", "--filter", label])
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(id => $"{kind} {id}"))
            .ToList();
    }

    /// <summary>Every service's state and the end of its log, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var service in new[] { "postgres", "certs" }.Concat(NodeNames))
        {
            try
            {
                text.AppendLine($"--- {service}: {State(service)}");
                foreach (var line in Lines(service).TakeLast(25)) text.AppendLine(line);
            }
            catch (InvalidOperationException e)
            {
                text.AppendLine($"--- {service}: {e.Message.Split('\n')[0]}");
            }
        }
        return text.ToString();
    }

    public void Dispose()
    {
        if (!_down)
            try { Down(); } catch (InvalidOperationException) { }
        File.Delete(_override);
    }

    private static string Override(int postgresPort, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? serviceEnvironment)
    {
        var text = new StringBuilder();
        text.AppendLine("services:");
        text.AppendLine("  postgres:");
        text.AppendLine($"    ports: [\"127.0.0.1:{postgresPort}:5432\"]");
        foreach (var node in NodeNames)
        {
            // The compose file's own failure detection (a killed node is downed after ~25 s): shorter settings
            // downed healthy nodes of a loaded machine.
            if (serviceEnvironment?.GetValueOrDefault(node) is not { Count: > 0 } environment) continue;
            text.AppendLine($"  {node}:");
            text.AppendLine("    environment:");
            foreach (var (name, value) in environment)
                text.AppendLine($"      {name}: \"{value}\"");
        }
        return text.ToString();
    }
}

public sealed record ContainerState(string Status, int ExitCode, int Restarts, string Health)
{
    public override string ToString() => $"{Status}, exit code {ExitCode}, {Restarts} restart(s){(Health.Length > 0 ? $", {Health}" : "")}";
}
