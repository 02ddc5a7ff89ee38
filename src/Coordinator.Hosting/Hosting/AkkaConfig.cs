using Akka.Configuration;
using Akka.Persistence.Sql;

namespace Coordinator.Cli.Hosting;

/// <summary>
/// Composes a process's Akka configuration, most specific first: overrides from C# (the
/// journal's connection string), the run configuration's own <c>akka { }</c> section (single
/// machine) or the cluster settings (a node), <c>hocon/coordinator.conf</c>, then
/// Akka.Persistence.Sql's defaults.
/// </summary>
public static class AkkaConfig
{
    public static string HoconFile => Path.Combine(AppContext.BaseDirectory, "hocon", "coordinator.conf");

    /// <summary>A cluster node's settings (PostgreSQL journal, cluster provider, remoting).</summary>
    public static string ClusterHoconFile => Path.Combine(AppContext.BaseDirectory, "hocon", "cluster.conf");

    /// <summary>A <c>train</c> process's settings (SQLite journal). Akka's own Ctrl+C / SIGTERM hook is off: the
    /// process handles Ctrl+C itself (the run stops, saying how to resume it).</summary>
    public static Config ForSqlite(string journalFile, string? runOverrides)
    {
        var connection = $"Data Source={journalFile}";
        var overrides = ConfigurationFactory.ParseString($"""
            akka.persistence.journal.sql.connection-string = "{Escape(connection)}"
            akka.persistence.snapshot-store.sql.connection-string = "{Escape(connection)}"
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """);
        var config = overrides;
        if (runOverrides is not null) config = config.WithFallback(ConfigurationFactory.ParseString(runOverrides));
        return config
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(HoconFile)))
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    /// <summary>
    /// The PostgreSQL counterpart of <see cref="ForSqlite"/>: the journal and snapshot store in the
    /// database <paramref name="connectionString"/> names, over <paramref name="cluster"/> (default: the
    /// shipped hocon/cluster.conf, which selects the PostgreSQL.15 provider).
    /// </summary>
    public static Config ForPostgreSql(string connectionString, Config? cluster = null)
    {
        var overrides = ConfigurationFactory.ParseString($"""
            akka.persistence.journal.sql.connection-string = "{Escape(connectionString)}"
            akka.persistence.snapshot-store.sql.connection-string = "{Escape(connectionString)}"
            """);
        return overrides
            .WithFallback(cluster ?? ConfigurationFactory.ParseString(File.ReadAllText(ClusterHoconFile)))
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(HoconFile)))
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    public static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
