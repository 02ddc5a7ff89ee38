using Akka.Configuration;
using Coordinator.Configuration;

namespace Coordinator.Cli.Hosting;

/// <summary>
/// Checks the journal and snapshot-store plug-ins a composed Akka configuration selects, before an actor
/// system starts: Akka only finds out that a plug-in does not exist when the supervisor first asks for it,
/// and the run then fails after its recovery timeout, with a run folder already made.
/// </summary>
public static class PersistencePlugins
{
    private static readonly (string Key, string Section)[] Selections =
    [
        ("akka.persistence.journal.plugin", "akka.persistence.journal"),
        ("akka.persistence.snapshot-store.plugin", "akka.persistence.snapshot-store"),
    ];

    /// <summary>Throws a <see cref="ConfigurationError"/> naming the key, its value and the plug-ins available
    /// when a selected plug-in has no configuration or its class cannot be loaded.</summary>
    public static void Check(Config composed)
    {
        var config = composed.WithFallback(Akka.Persistence.Persistence.DefaultConfig()); // the in-memory and local ones
        foreach (var (key, section) in Selections)
        {
            var id = config.HasPath(key) ? config.GetString(key) : "";
            var available = Available(config, section);
            var allowed = available.Count == 0 ? "none is configured" : string.Join(", ", available);
            if (string.IsNullOrWhiteSpace(id))
                throw new ConfigurationError(key, "\"\"", $"must name a plug-in; available: {allowed}");
            if (!HasClass(config, id))
                throw new ConfigurationError(key, $"\"{id}\"", $"no such plug-in (no {id} {{ class = ... }} section); available: {allowed}");
            var type = config.GetString(id + ".class");
            if (Type.GetType(type) is null)
                throw new ConfigurationError(id + ".class", $"\"{type}\"", $"the plug-in's class cannot be loaded; available plug-ins: {allowed}");
        }
    }

    private static bool HasClass(Config config, string id)
    {
        try
        {
            return config.HasPath(id + ".class");
        }
        catch (Exception e) when (e is ConfigurationException or ArgumentException)
        {
            return false; // not a usable HOCON path
        }
    }

    /// <summary>The plug-ins under <paramref name="section"/>: its sub-sections that name a class.</summary>
    private static List<string> Available(Config config, string section)
    {
        if (!config.HasPath(section)) return [];
        return config.GetConfig(section).Root.GetObject().Items
            .Where(item => item.Value.IsObject() && item.Value.GetObject().Items.ContainsKey("class"))
            .Select(item => $"{section}.{item.Key}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
