using Coordinator.Testing.Persistence;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Akka.TestKit.Xunit2;
using Coordinator.Actors.State;
using static Coordinator.Actors.Events.RunEvents;

using Coordinator.Actors.TestSupport;

namespace Coordinator.Actors.Tests;

/// <summary>
/// A journal written by the first release (EpochCompleted v1, without steps), committed as a
/// fixture, replays with today's code: events read, upcast, and folded into the same run.
/// </summary>
public sealed class OldJournalTests() : TestKit(Config())
{
    private static readonly string Copy = Path.Combine(Path.GetTempPath(), $"journal-v1-{Guid.NewGuid():N}.db");

    private static Config Config()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "journal-v1.db"), Copy);
        return ConfigurationFactory.ParseString($"""
                akka.persistence.journal.sql.connection-string = "Data Source={Copy}"
                akka.persistence.snapshot-store.sql.connection-string = "Data Source={Copy}"
                """)
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "coordinator.conf"))))
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    [Fact]
    public void A_journal_of_the_first_release_replays_with_todays_code()
    {
        var probe = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new EventReader("run-oldrun", probe)));
        var events = probe.ExpectMsg<EventReader.Replayed>(TimeSpan.FromSeconds(20)).Events;

        Assert.IsType<RunStarted>(events[0]);
        var epochs = events.OfType<EpochCompleted>().ToList();
        Assert.Equal([0, 1, 2, 3], epochs.Select(e => e.Epoch));
        Assert.All(epochs, e => Assert.Equal(0, e.Steps)); // v1 did not record steps
        Assert.All(epochs, e => Assert.True(e.Logs["val_accuracy"] > 0.5 && e.BytesSent > 0));
        Assert.IsType<RunCompleted>(events[^1]);

        var state = events.Aggregate(RunState.Empty, (s, e) => s.Apply(e));
        Assert.True(state.Finished);
        Assert.Equal(4, state.NextEpoch);
        Assert.Contains(state.Checkpoints, c => c.Deleted);
    }
}
