using Akka.Configuration;

namespace Coordinator.Testing;

/// <summary>
/// The Akka settings of a scenario's actor system: the project's own (the serializer bindings of
/// hocon/coordinator.conf, embedded in this assembly) with every message crossing the serializer,
/// the TestKit's scheduler (virtual time, moved only by the scenario), the scenario journal and an
/// in-memory snapshot store. Akka.Persistence's journal protocol skips the check (LocalOnlySerializer).
/// </summary>
internal static class ScenarioConfig
{
    private static readonly Lazy<Config> Coordinator = new(() =>
    {
        using var stream = typeof(ScenarioConfig).Assembly.GetManifestResourceStream("Coordinator.Testing.coordinator.conf")
                           ?? throw new InvalidOperationException("coordinator.conf is not embedded in Coordinator.Testing");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });

    public static Config Create(bool logWarnings) =>
        ConfigurationFactory.ParseString($$"""
            akka.loglevel = {{(logWarnings ? "WARNING" : "OFF")}}
            akka.stdout-loglevel = OFF
            akka.actor.serialize-messages = on
            akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
            akka.persistence.journal.plugin = "akka.persistence.journal.scenario"
            akka.persistence.journal.scenario {
              class = "Coordinator.Testing.Persistence.ScenarioJournal, Coordinator.Testing"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            akka.actor {
              serializers.scenario-local-only = "Coordinator.Testing.Persistence.LocalOnlySerializer, Coordinator.Testing"
              serialization-identifiers { "Coordinator.Testing.Persistence.LocalOnlySerializer, Coordinator.Testing" = 1790 }
              serialization-bindings {
                "Akka.Persistence.IJournalRequest, Akka.Persistence" = scenario-local-only
                "Akka.Persistence.IJournalResponse, Akka.Persistence" = scenario-local-only
                "Akka.Persistence.Journal.AsyncWriteJournal+Desequenced, Akka.Persistence" = scenario-local-only
              }
            }
            """)
        .WithFallback(Coordinator.Value);
}
