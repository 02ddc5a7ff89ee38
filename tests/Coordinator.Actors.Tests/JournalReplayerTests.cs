using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Akka.TestKit.Xunit2;
using Coordinator.Actors.Journal;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Tests;

/// <summary>The one journal reader on a real SQLite journal (the first release's, a committed fixture).</summary>
public sealed class JournalReplayerTests : TestKit
{
    private readonly string _copy;

    public JournalReplayerTests() : this(Path.Combine(Path.GetTempPath(), $"journal-replay-{Guid.NewGuid():N}.db"))
    {
    }

    private JournalReplayerTests(string copy) : base(Config(copy)) => _copy = copy;

    protected override void AfterAll()
    {
        base.AfterAll();
        File.Delete(_copy);
    }

    private static Config Config(string copy)
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "journal-v1.db"), copy);
        return ConfigurationFactory.ParseString($"""
                akka.persistence.journal.sql.connection-string = "Data Source={copy}"
                akka.persistence.snapshot-store.sql.connection-string = "Data Source={copy}"
                """)
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "coordinator.conf"))))
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    [Fact]
    public void Replays_every_event_in_order_with_its_sequence_number_and_stored_time()
    {
        var probe = CreateTestProbe();
        Sys.ActorOf(JournalReplayer.Props("run-oldrun", probe));
        var replayed = probe.ExpectMsg<JournalReplayer.Replayed>(TimeSpan.FromSeconds(20));

        Assert.Equal("run-oldrun", replayed.PersistenceId);
        Assert.Equal(Enumerable.Range(1, replayed.Records.Count).Select(i => (long)i), replayed.Records.Select(r => r.SequenceNr));
        Assert.IsType<RunStarted>(replayed.Records[0].Payload);
        // The fixture was written on 2026-11-29; every event carries the time the journal stored it.
        Assert.All(replayed.Records, r => Assert.Equal(new DateTime(2026, 11, 29), r.StoredAt?.UtcDateTime.Date));
    }

    [Fact]
    public async Task A_persistence_id_with_no_events_replays_as_none()
    {
        var records = await JournalReplay.ReplayAsync(Sys, "run-nothing-here");
        Assert.Empty(records);
    }

    [Fact]
    public async Task A_journal_plugin_that_is_not_configured_fails_the_replay_naming_it()
    {
        var failure = await Assert.ThrowsAsync<JournalReplayException>(() =>
            JournalReplay.ReplayAsync(Sys, "run-oldrun", journalPluginId: "akka.persistence.journal.nowhere", timeout: TimeSpan.FromSeconds(20)));
        Assert.Equal("run-oldrun", failure.PersistenceId);
        Assert.Contains("akka.persistence.journal.nowhere", failure.Message);
    }
}
