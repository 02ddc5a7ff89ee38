using Akka.Actor;
using Coordinator.Configuration;

namespace Coordinator.Cli.Hosting;

/// <summary>
/// A run configuration's <c>akka { }</c> section, checked before anything is created: Akka reads it
/// only when the actor system starts, and a value it refuses (<c>akka.loglevel = LOUD</c>) would then
/// fail the run after its folder exists, with a stack trace.
/// </summary>
public static class AkkaSettingsCheck
{
    private static readonly string[] LogLevels = ["DEBUG", "INFO", "WARNING", "ERROR", "OFF"];

    public static void Check(string? overrides)
    {
        if (overrides is null) return;
        var config = HoconText.Parse(overrides, "akka");
        foreach (var key in new[] { "akka.loglevel", "akka.stdout-loglevel" })
            if (config.HasPath(key) && config.GetString(key) is { } level && !LogLevels.Contains(level.Trim(), StringComparer.OrdinalIgnoreCase))
                throw new ConfigurationError(key, level, $"must be one of {string.Join(", ", LogLevels)}");
        // Anything else Akka refuses shows only when a system starts: start one (no journal is opened) and stop it.
        try
        {
            using var system = ActorSystem.Create("coordinator-check",
                AkkaConfig.ForSqlite(Path.Combine(Path.GetTempPath(), "coordinator-check-unused.db"), overrides));
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
        catch (Exception e)
        {
            throw new ConfigurationError("akka", "{ ... }", $"Akka cannot start with these settings: {e.GetBaseException().Message}");
        }
    }
}
