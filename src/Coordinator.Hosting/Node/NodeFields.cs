namespace Coordinator.Cli.Node;

/// <summary>
/// Every setting <c>coordinator node</c> reads, in one place: the command's flags, the reader, the
/// tests and the README's table all come from (or are checked against) this list.
/// Precedence: flag, then environment variable, then the HOCON file (<c>--config</c>), then the default.
/// </summary>
public static class NodeFields
{
    private const string Tcp = "akka.remote.dot-netty.tcp";
    private const string Detector = "akka.cluster.failure-detector";

    public static readonly NodeField Config = new("--config", "COORDINATOR_CONFIG", null,
        "HOCON file over the shipped hocon/cluster.conf (keys it leaves out come from that one)");

    public static readonly NodeField Roles = new("--roles", "COORDINATOR_ROLES", "akka.cluster.roles",
        "comma-separated roles: supervisor, worker");

    public static readonly NodeField Host = new("--host", "COORDINATOR_HOST", $"{Tcp}.public-hostname",
        "host name or IP other nodes reach this node at (default: the HOCON hostname, 127.0.0.1)");

    public static readonly NodeField BindHost = new("--bind-host", "COORDINATOR_BIND_HOST", $"{Tcp}.hostname",
        "interface to listen on, e.g. 0.0.0.0 behind NAT (default: the host)");

    public static readonly NodeField Port = new("--port", "COORDINATOR_PORT", $"{Tcp}.port",
        "TCP port to listen on, 0 for any free port (default 4053)");

    public static readonly NodeField Seeds = new("--seeds", "COORDINATOR_SEEDS", "akka.cluster.seed-nodes",
        "comma-separated host:port of the seed nodes, the same list on every node");

    public static readonly NodeField Run = new("--run", "COORDINATOR_RUN", null,
        "run configuration (HOCON, as for train); required on supervisor nodes");

    public static readonly NodeField Shared = new("--shared", "COORDINATOR_SHARED", null,
        "shared storage folder for run folders and checkpoints, writable, the same on every supervisor node; required on supervisor nodes");

    public static readonly NodeField Journal = new("--journal", "COORDINATOR_JOURNAL", "akka.persistence.journal.sql.connection-string",
        "PostgreSQL connection string of the journal; required on supervisor nodes");

    public static readonly NodeField Tls = new("--tls", "COORDINATOR_TLS", $"{Tcp}.enable-ssl",
        "on | off: TLS with mutual authentication between nodes (default off)");

    public static readonly NodeField TlsCertificate = new("--tls-cert", "COORDINATOR_TLS_CERT", null,
        "this node's certificate and private key (PKCS#12 .pfx) issued by the cluster CA; required with TLS");

    public static readonly NodeField TlsPassword = new(null, "COORDINATOR_TLS_PASSWORD", null,
        "password of the .pfx (environment only: a flag would show it in the process list)");

    public static readonly NodeField TlsCa = new("--tls-ca", "COORDINATOR_TLS_CA", null,
        "the cluster CA's certificate (PEM); peers must present a certificate it issued; required with TLS");

    public static readonly NodeField HeartbeatInterval = new("--heartbeat-interval", "COORDINATOR_HEARTBEAT_INTERVAL", $"{Detector}.heartbeat-interval",
        "how often a node heartbeats the nodes it watches (default 1s)");

    public static readonly NodeField FailureTimeout = new("--failure-timeout", "COORDINATOR_FAILURE_TIMEOUT", $"{Detector}.acceptable-heartbeat-pause",
        "heartbeats may be missing this long before a node is marked unreachable (default 10s)");

    public static readonly NodeField FailureThreshold = new("--failure-threshold", "COORDINATOR_FAILURE_THRESHOLD", $"{Detector}.threshold",
        "phi-accrual suspicion threshold (default 10; higher: fewer false alarms, later detection)");

    public static readonly NodeField DownAfter = new("--down-after", "COORDINATOR_DOWN_AFTER", "akka.cluster.split-brain-resolver.stable-after",
        "the split brain resolver downs unreachable nodes after membership was stable this long (default 15s)");

    public static readonly NodeField LogLevel = new("--log-level", "COORDINATOR_LOG_LEVEL", "akka.loglevel",
        "Akka log level: DEBUG | INFO | WARNING | ERROR | OFF (default WARNING)");

    public static readonly NodeField HealthFile = new("--health-file", "COORDINATOR_HEALTH_FILE", null,
        "file that exists while this node is an Up member (for health checks); none by default");

    public static IReadOnlyList<NodeField> All { get; } =
    [
        Config, Roles, Host, BindHost, Port, Seeds, Run, Shared, Journal, Tls, TlsCertificate, TlsPassword, TlsCa,
        HeartbeatInterval, FailureTimeout, FailureThreshold, DownAfter, LogLevel, HealthFile,
    ];
}
