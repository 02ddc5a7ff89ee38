using Akka.Configuration;
using Akka.Persistence.Sql;

namespace Coordinator.Cli.Hosting;

/// <summary>
/// Composes a process's Akka configuration, most specific first: overrides from C# (the
/// journal's connection string), the run configuration's own <c>akka { }</c> section,
/// <c>hocon/coordinator.conf</c>, then Akka.Persistence.Sql's defaults.
/// </summary>
public static class AkkaConfig
{
    public static string HoconFile => Path.Combine(AppContext.BaseDirectory, "hocon", "coordinator.conf");

    public static Config ForSqlite(string journalFile, string? runOverrides)
    {
        var connection = $"Data Source={journalFile}";
        var overrides = ConfigurationFactory.ParseString($"""
            akka.persistence.journal.sql.connection-string = "{Escape(connection)}"
            akka.persistence.snapshot-store.sql.connection-string = "{Escape(connection)}"
            """);
        var config = overrides;
        if (runOverrides is not null) config = config.WithFallback(ConfigurationFactory.ParseString(runOverrides));
        return config
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(HoconFile)))
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
