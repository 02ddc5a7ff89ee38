using Akka.Configuration;

namespace Coordinator.Actors.TestSupport;

/// <summary>
/// The project's own Akka settings (hocon/coordinator.conf, which the test project copies to its output) with every message crossing the
/// serializer, and an in-memory journal.
/// </summary>
public static class TestConfig
{
    public static Config Create() =>
        ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            # CI runs several test projects at once on 2 cores: give every expectation room.
            akka.test.single-expect-default = 20s
            akka.actor.serialize-messages = on
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """)
        .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "coordinator.conf"))));
}
