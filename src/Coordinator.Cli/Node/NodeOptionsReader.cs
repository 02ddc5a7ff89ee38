using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Npgsql;

namespace Coordinator.Cli.Node;

/// <summary>
/// Merges a node's settings: a flag wins over its environment variable, which wins over the HOCON file
/// (<see cref="NodeField.HoconPath"/>). Pure: the caller loads the file (<see cref="NodeConfigFile"/>) and
/// checks the file system afterwards (<see cref="NodePreflight"/>). An empty value counts as not set.
/// Every error is a <see cref="NodeOptionError"/> naming the field, the value, its source and what is allowed.
/// </summary>
public static class NodeOptionsReader
{
    /// <summary>The HOCON file to read: <c>--config</c>, <c>COORDINATOR_CONFIG</c>, or <paramref name="shipped"/>.</summary>
    public static string ConfigPath(IReadOnlyDictionary<string, string> flags, IReadOnlyDictionary<string, string?> environment, string shipped) =>
        Given(NodeFields.Config, flags, environment) is { } v ? Path.GetFullPath(v.Text) : shipped;

    public static NodeOptions Read(
        IReadOnlyDictionary<string, string> flags, IReadOnlyDictionary<string, string?> environment, Config hocon, string configPath)
    {
        var r = new Reader(flags, environment, hocon, configPath);
        var roles = r.Roles();
        var supervisor = roles.Contains(NodeRoles.Supervisor);
        var (host, bindHost) = r.Hosts();
        var heartbeat = r.Duration(NodeFields.HeartbeatInterval);
        var failureTimeout = r.Duration(NodeFields.FailureTimeout);
        if (failureTimeout < heartbeat)
            throw r.Error(NodeFields.FailureTimeout, $"must be at least the heartbeat interval ({NodeValues.Hocon(heartbeat)}), or every ordinary gap between heartbeats raises an alarm");
        return new NodeOptions(
            roles, host, bindHost, r.Port(), r.Seeds(), configPath,
            RunPath: supervisor ? r.RequiredPath(NodeFields.Run, "a run configuration file (HOCON, as for train), required on supervisor nodes") : r.OptionalPath(NodeFields.Run),
            SharedPath: supervisor ? r.RequiredPath(NodeFields.Shared, "a writable folder shared by every supervisor node, required on supervisor nodes") : r.OptionalPath(NodeFields.Shared),
            Journal: r.Journal(supervisor),
            Tls: r.Tls(),
            new FailureDetection(heartbeat, failureTimeout, r.Threshold(), r.Duration(NodeFields.DownAfter)),
            r.LogLevel(),
            r.OptionalPath(NodeFields.HealthFile));
    }

    private sealed record Value(string Text, string Source, bool InFile = false);

    private static Value? Given(NodeField field, IReadOnlyDictionary<string, string> flags, IReadOnlyDictionary<string, string?> environment)
    {
        if (field.Flag is not null && flags.TryGetValue(field.Flag, out var flag) && flag.Length > 0) return new Value(flag, $"from {field.Flag}");
        if (environment.TryGetValue(field.Variable, out var env) && !string.IsNullOrEmpty(env)) return new Value(env, $"from {field.Variable}");
        return null;
    }

    private sealed class Reader(
        IReadOnlyDictionary<string, string> flags, IReadOnlyDictionary<string, string?> environment, Config hocon, string configPath)
    {
        private Value? Given(NodeField field) => NodeOptionsReader.Given(field, flags, environment);

        private string FromFile(string path) => $"from {path} in {configPath}";

        /// <summary>The flag or variable, else the HOCON scalar (unset when empty).</summary>
        private Value? Scalar(NodeField field)
        {
            if (Given(field) is { } v) return v;
            return field.HoconPath is null ? null : FileValue(field.HoconPath);
        }

        private Value? FileValue(string path) =>
            hocon.HasPath(path) && hocon.GetString(path) is { Length: > 0 } text ? new Value(text, FromFile(path), InFile: true) : null;

        private Value Require(NodeField field, string allowed) => Scalar(field) ?? throw NodeOptionError.Missing(field, allowed);

        public NodeOptionError Error(NodeField field, string allowed)
        {
            var v = Scalar(field);
            return v is null ? NodeOptionError.Missing(field, allowed) : new NodeOptionError(field, Quote(v.Text), v.Source, allowed);
        }

        private static NodeOptionError Error(NodeField field, Value v, string allowed, string? shown = null) =>
            new(field, shown ?? Quote(v.Text), v.Source, allowed);

        public IReadOnlyList<string> Roles()
        {
            var field = NodeFields.Roles;
            var allowed = $"a comma-separated list of: {string.Join(", ", NodeRoles.All)}";
            Value value;
            IEnumerable<string> items;
            if (Given(field) is { } v)
            {
                value = v;
                items = v.Text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
            else
            {
                var list = hocon.HasPath(field.HoconPath!) ? hocon.GetStringList(field.HoconPath!) : [];
                value = new Value($"[{string.Join(", ", list)}]", FromFile(field.HoconPath!));
                items = list;
            }
            var roles = new List<string>();
            foreach (var item in items)
            {
                var role = item.Trim().ToLowerInvariant();
                if (!NodeRoles.All.Contains(role))
                    throw Error(field, value, $"unknown role \"{item}\"; {allowed}");
                if (!roles.Contains(role)) roles.Add(role);
            }
            if (roles.Count == 0) throw NodeOptionError.Missing(field, $"a node needs at least one role: {allowed}");
            return roles;
        }

        public (string Host, string BindHost) Hosts()
        {
            // The HOCON layer: public-hostname if set, else hostname (what Akka itself advertises).
            var host = Given(NodeFields.Host)
                ?? FileValue(NodeFields.Host.HoconPath!)
                ?? FileValue(NodeFields.BindHost.HoconPath!)
                ?? throw NodeOptionError.Missing(NodeFields.Host, "the host name or IP address other nodes reach this node at");
            if (!NodeValues.IsHost(host.Text))
                throw Error(NodeFields.Host, host, "a host name or an IP address (IPv6 without brackets)");
            if (host.Text is "0.0.0.0" or "::")
                throw Error(NodeFields.Host, host, "other nodes cannot reach a wildcard address: give this node's name or IP here, and 0.0.0.0 as --bind-host / COORDINATOR_BIND_HOST");

            // Listen where the host is, unless told otherwise; the file's hostname applies only when the host came from the file too.
            var bind = Given(NodeFields.BindHost);
            if (bind is null && host.InFile) bind = FileValue(NodeFields.BindHost.HoconPath!);
            bind ??= host;
            if (!NodeValues.IsHost(bind.Text))
                throw Error(NodeFields.BindHost, bind, "a host name or an IP address to listen on (0.0.0.0: every interface)");
            return (host.Text, bind.Text);
        }

        public int Port()
        {
            var v = Require(NodeFields.Port, "a port from 0 to 65535");
            return NodeValues.Port(v.Text, 0) ?? throw Error(NodeFields.Port, v, "a whole number from 0 to 65535 (0: any free port)");
        }

        public IReadOnlyList<SeedNode> Seeds()
        {
            var field = NodeFields.Seeds;
            const string allowed = "a comma-separated list of host:port (IPv6 as [addr]:port), the same on every node";
            var seeds = new List<SeedNode>();
            if (Given(field) is { } v)
            {
                foreach (var item in v.Text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var seed = NodeValues.Seed(item) ?? throw Error(field, v, $"\"{item}\" is not host:port with a port from 1 to 65535; {allowed}");
                    if (!seeds.Contains(seed)) seeds.Add(seed);
                }
            }
            else if (hocon.HasPath(field.HoconPath!))
            {
                // The file holds full addresses (akka.tcp://coordinator@host:port): only host and port are kept.
                foreach (var address in hocon.GetStringList(field.HoconPath!))
                {
                    var value = new Value(address, FromFile(field.HoconPath!));
                    Address parsed;
                    try
                    {
                        parsed = Address.Parse(address);
                    }
                    catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
                    {
                        throw Error(field, value, $"an Akka address such as akka.tcp://{NodeConfig.SystemName}@host:4053");
                    }
                    if (parsed.Host is null || parsed.Port is not ({ } port and > 0))
                        throw Error(field, value, $"an Akka address with a host and a port, such as akka.tcp://{NodeConfig.SystemName}@host:4053");
                    var seed = new SeedNode(parsed.Host, port);
                    if (!seeds.Contains(seed)) seeds.Add(seed);
                }
            }
            if (seeds.Count == 0)
                throw NodeOptionError.Missing(field, $"at least one seed node: {allowed} (a first node lists itself)");
            return seeds;
        }

        public string? OptionalPath(NodeField field) => Given(field) is { } v ? Path.GetFullPath(v.Text) : null;

        public string RequiredPath(NodeField field, string allowed) =>
            Given(field) is { } v ? Path.GetFullPath(v.Text) : throw NodeOptionError.Missing(field, allowed);

        public string? Journal(bool required)
        {
            var field = NodeFields.Journal;
            const string example = "a PostgreSQL connection string such as Host=postgres;Port=5432;Database=coordinator;Username=coordinator;Password=...";
            var v = Scalar(field);
            if (v is null)
                return required ? throw NodeOptionError.Missing(field, $"{example}; required on supervisor nodes (the journal of the training supervisor)") : null;
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(v.Text);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or InvalidCastException)
            {
                throw Error(field, v, $"{example} ({e.Message})", "(not shown: it may hold a password)");
            }
            if (string.IsNullOrWhiteSpace(builder.Host))
                throw Error(field, v, $"{example}: Host is missing", Quote(Masked(builder)));
            return v.Text;
        }

        public NodeTlsOptions? Tls()
        {
            var on = Scalar(NodeFields.Tls) is { } v
                ? NodeValues.Switch(v.Text) ?? throw Error(NodeFields.Tls, v, "on or off")
                : false;
            var cert = OptionalPath(NodeFields.TlsCertificate);
            var ca = OptionalPath(NodeFields.TlsCa);
            if (!on)
            {
                // A certificate given with TLS off is a half-done setup: refuse rather than run in clear text.
                if (cert is not null)
                    throw new NodeOptionError(NodeFields.TlsCertificate, Quote(cert), Given(NodeFields.TlsCertificate)!.Source,
                        $"TLS is off: set {NodeFields.Tls.Names} = on to use it, or leave the certificate unset");
                if (ca is not null)
                    throw new NodeOptionError(NodeFields.TlsCa, Quote(ca), Given(NodeFields.TlsCa)!.Source,
                        $"TLS is off: set {NodeFields.Tls.Names} = on to use it, or leave the CA unset");
                return null;
            }
            return new NodeTlsOptions(
                cert ?? throw NodeOptionError.Missing(NodeFields.TlsCertificate, "this node's certificate with its key (.pfx, issued by the cluster CA), required with TLS on"),
                Given(NodeFields.TlsPassword)?.Text,
                ca ?? throw NodeOptionError.Missing(NodeFields.TlsCa, "the cluster CA certificate (PEM) that every node's certificate is issued by, required with TLS on"));
        }

        public TimeSpan Duration(NodeField field)
        {
            var v = Require(field, NodeValues.DurationAllowed);
            return NodeValues.Duration(v.Text) ?? throw Error(field, v, NodeValues.DurationAllowed);
        }

        public double Threshold()
        {
            var v = Require(NodeFields.FailureThreshold, "a number above 0");
            return double.TryParse(v.Text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var t) && t > 0 && double.IsFinite(t)
                ? t
                : throw Error(NodeFields.FailureThreshold, v, "a number above 0, such as 8 (quicker detection) to 12 (fewer false alarms)");
        }

        public string LogLevel()
        {
            string[] levels = ["DEBUG", "INFO", "WARNING", "ERROR", "OFF"];
            var v = Require(NodeFields.LogLevel, string.Join(" | ", levels));
            var level = v.Text.Trim().ToUpperInvariant();
            return levels.Contains(level) ? level : throw Error(NodeFields.LogLevel, v, string.Join(" | ", levels));
        }
    }

    private static string Quote(string text) => $"\"{text}\"";

    private static string Masked(NpgsqlConnectionStringBuilder builder)
    {
        var copy = new NpgsqlConnectionStringBuilder(builder.ConnectionString);
        if (!string.IsNullOrEmpty(copy.Password)) copy.Password = "***";
        return copy.ConnectionString;
    }
}
