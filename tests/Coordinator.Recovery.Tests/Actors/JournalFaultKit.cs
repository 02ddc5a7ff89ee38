using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Xunit.Abstractions;

namespace Coordinator.Recovery.Tests.Actors;

/// <summary>
/// A TestKit whose journal is Akka.Persistence.TestKit's <see cref="TestJournal"/> (in memory, its writes
/// made to fail or be rejected on demand), with the project's own Akka settings. (Not serialize-messages:
/// the TestJournal's own control messages carry interceptors that cannot cross a serializer.) Akka.Persistence.TestKit 1.5.74 ships the journal and its behaviours but not the
/// PersistenceTestKit base class (that is in Akka.Persistence.TestKit.Xunit2, not pinned here), so this
/// class carries the few lines of it that the tests use: <see cref="Journal"/> and <see cref="WithJournalWrite"/>.
/// </summary>
public abstract class JournalFaultKit(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(CreateConfig(), output: output)
{
    private ITestJournal? _journal;

    public ITestJournal Journal => _journal ??= TestJournal.FromRef(Persistence.Instance.Apply(Sys).JournalFor(null));

    /// <summary>As PersistenceTestKitBase.WithJournalWrite: the behaviour while <paramref name="execution"/> runs, then writes pass again.</summary>
    public async Task WithJournalWrite(Func<JournalWriteBehavior, Task> behavior, Action execution)
    {
        try
        {
            await behavior(Journal.OnWrite);
            execution();
        }
        finally
        {
            await Journal.OnWrite.Pass();
        }
    }

    private static Config CreateConfig() =>
        ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            # CI runs several test projects at once on 2 cores: give every expectation room.
            akka.test.single-expect-default = 20s
            """)
        .WithFallback(ConfigurationFactory.FromResource<TestJournal>("Akka.Persistence.TestKit.config.conf"))
        .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "coordinator.conf"))));
}
