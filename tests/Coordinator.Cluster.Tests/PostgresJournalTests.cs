using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Serialization;
using Coordinator.Actors.Events;
using Coordinator.Actors.Serialization;
using Coordinator.Cli.Hosting;
using Coordinator.Cluster.Tests.Support;
using Npgsql;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// The cluster's journal on a real PostgreSQL (a fresh database per test): events written by one actor
/// system through AkkaConfig.ForPostgreSql are stored with the project's serializer and recovered by another.
/// </summary>
public sealed class PostgresJournalTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static readonly RunEvents.IRunEvent[] Events =
    [
        new RunEvents.RunResumed(-1, new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)),
        new RunEvents.LearningRateChanged(3, 0.05, 0.01, "val_loss did not improve for 3 epochs", "reduce-lr-on-plateau"),
        new RunEvents.CheckpointDeleted(2, "ckpt-03-0.3101.weights", "save-top-k"),
        new RunEvents.TrainingStopped(7, null, "no-improvement", "early-stopping", "val_loss did not improve for 8 epochs"),
    ];

    [PostgresFact]
    public async Task Events_persisted_by_one_system_are_recovered_by_another_through_the_coordinator_serializer()
    {
        using var database = new FreshDatabase();
        var config = ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.extensions = []") // the journal alone, no cluster
            .WithFallback(AkkaConfig.ForPostgreSql(database.ConnectionString, ConfigurationFactory.ParseString(File.ReadAllText(TestFiles.ClusterConf))));

        string[] manifests;
        using (var writer = ActorSystem.Create("journal-writer", config))
        {
            var actor = writer.ActorOf(Props.Create(() => new EventLog("run-1")));
            foreach (var e in Events) Assert.Equal("persisted", await actor.Ask<string>(e, Wait));
            var serializer = (SerializerWithStringManifest)writer.Serialization.FindSerializerFor(Events[0]);
            Assert.IsType<CoordinatorSerializer>(serializer);
            manifests = Events.Select(serializer.Manifest).ToArray();
            await writer.Terminate();
        }

        // In the database: one row per event, written by serializer 1701 under its versioned manifests.
        await using (var connection = database.Open())
        await using (var query = new NpgsqlCommand("SELECT identifier, manifest FROM journal WHERE persistence_id = 'run-1' ORDER BY sequence_number", connection))
        await using (var rows = await query.ExecuteReaderAsync())
        {
            var stored = new List<(int, string)>();
            while (await rows.ReadAsync()) stored.Add((rows.GetInt32(0), rows.GetString(1)));
            Assert.Equal(manifests.Select(m => (CoordinatorSerializer.Id, m)), stored);
        }

        using var reader = ActorSystem.Create("journal-reader", config);
        try
        {
            var recovered = await reader.ActorOf(Props.Create(() => new EventLog("run-1"))).Ask<RunEvents.IRunEvent[]>(EventLog.Read.Instance, Wait);
            Assert.Equal(Events, recovered);
        }
        finally
        {
            await reader.Terminate();
        }
    }

    [Fact]
    public void An_unreachable_server_fails_the_tests_saying_how_to_get_one()
    {
        var e = Assert.Throws<InvalidOperationException>(() => PostgresServer.Open("Host=127.0.0.1;Port=1;Username=u;Password=secret;Timeout=5"));
        Assert.StartsWith("PostgreSQL is not reachable at Host=127.0.0.1;Port=1;Username=u;Password=***", e.Message);
        Assert.Contains(".ci/run installs, starts and provisions it", e.Message);
        Assert.Contains("COORDINATOR_TEST_POSTGRES=skip skips them", e.Message);
        Assert.DoesNotContain("secret", e.Message);
    }

    /// <summary>Persists every run event it is sent and answers "persisted"; <see cref="Read"/> returns all it holds.</summary>
    private sealed class EventLog : ReceivePersistentActor
    {
        private readonly List<RunEvents.IRunEvent> _events = [];

        public EventLog(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<RunEvents.IRunEvent>(e => _events.Add(e));
            Command<RunEvents.IRunEvent>(e =>
            {
                var sender = Sender;
                Persist(e, stored =>
                {
                    _events.Add(stored);
                    sender.Tell("persisted");
                });
            });
            Command<Read>(_ => Sender.Tell(_events.ToArray()));
        }

        public override string PersistenceId { get; }

        public sealed class Read
        {
            public static readonly Read Instance = new();

            private Read()
            {
            }
        }
    }
}
