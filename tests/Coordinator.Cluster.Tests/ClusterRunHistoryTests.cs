using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Coordinator.Actors.Events;
using Coordinator.Actors.TestSupport;
using Coordinator.Cli.Hosting;
using Coordinator.Cli.History;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Core.Reporting;
using Npgsql;
using Xunit.Abstractions;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// <c>history</c> and <c>runs</c> read a cluster run, whose journal is in PostgreSQL: a run's events are
/// persisted into a fresh database through the cluster's journal settings (AkkaConfig.ForPostgreSql, as a
/// node's supervisor persists them), its folder holds the journal.json a supervisor node writes, and the real
/// executable reads the run with <c>--journal</c>, or from journal.json with the password from PGPASSWORD.
/// </summary>
public sealed class ClusterRunHistoryTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly RunEvents.RunStarted Started = new("digits", 3, "gradients", 42, 5, 0.05, 4810, "ab12cd34", Start);

    private static readonly RunEvents.IRunEvent[] Events =
    [
        Started,
        new RunEvents.EpochCompleted(0, 0.05, Logs(1.62, 0.54, 0.63, 0.83), 0.4, 23, 1000, "{}"),
        new RunEvents.EpochCompleted(1, 0.05, Logs(0.42, 0.88, 0.31, 0.89), 0.3, 23, 1000, "{}"),
        new RunEvents.RunCompleted(Core.Reporting.RunStatus.Completed, FinalMetrics.Of(0.42, 0.88, 0.31, 0.89), "final.weights", "00ff", 2048, 1.5),
    ];

    private readonly TempFolder _temp = new("cluster-history");

    public void Dispose() => _temp.Dispose();

    [PostgresFact]
    public void History_and_runs_read_a_cluster_run_from_its_PostgreSQL_journal()
    {
        using var database = new FreshDatabase();
        Persist(database.ConnectionString, "run-digits", Events);
        // Another run in the same database: a cluster journal holds every run, each under its own id.
        Persist(database.ConnectionString, "run-other", [Started with { RunId = "other" }]);

        var shared = _temp.Combine("shared");
        var folder = Path.Combine(shared, "digits");
        Directory.CreateDirectory(folder);
        ClusterJournalFile.ForPostgreSql(database.ConnectionString, "run-digits").WriteTo(folder);

        var password = new NpgsqlConnectionStringBuilder(database.ConnectionString).Password;
        Assert.False(string.IsNullOrEmpty(password), "the test server's connection string should carry a password");
        // journal.json names the database, never the password (the test role's name may equal its password).
        var recorded = File.ReadAllText(ClusterJournalFile.PathIn(folder));
        Assert.DoesNotContain("password", recorded, StringComparison.OrdinalIgnoreCase);
        var connection = JsonDocument.Parse(recorded).RootElement.GetProperty("connection").GetString()!;
        Assert.Null(new NpgsqlConnectionStringBuilder(connection).Password);
        Assert.Equal(database.Name, new NpgsqlConnectionStringBuilder(connection).Database);

        // --journal: the whole connection string.
        var given = Coordinator(["history", folder, "--journal", database.ConnectionString, "--no-verify"]);
        Assert.Equal(0, given.Exit);
        var lines = given.Stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("started ", StringComparison.Ordinal) && l.Contains("3 workers", StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(l => l.StartsWith("Epoch ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("completed after 2 epochs", StringComparison.Ordinal));

        // journal.json, with the password from the environment (as Npgsql takes it).
        var fromFile = Coordinator(["history", folder, "--no-verify"], new Dictionary<string, string> { ["PGPASSWORD"] = password! });
        Assert.Equal(0, fromFile.Exit);
        Assert.Equal(given.Stdout, fromFile.Stdout);

        var runs = Coordinator(["runs", shared, "--json", "--journal", database.ConnectionString]);
        Assert.Equal(0, runs.Exit);
        var listed = Assert.Single(JsonDocument.Parse(runs.Stdout).RootElement.EnumerateArray());
        Assert.Equal("digits", listed.GetProperty("run_id").GetString());
        Assert.Equal("completed", listed.GetProperty("status").GetString());
        Assert.Equal(2, listed.GetProperty("epochs_run").GetInt32());
    }

    [PostgresFact]
    public void A_cluster_run_that_the_database_does_not_hold_is_bad_input_naming_the_journal_without_its_password()
    {
        using var database = new FreshDatabase();
        Persist(database.ConnectionString, "run-other", [Started with { RunId = "other" }]);
        var folder = _temp.Combine("shared", "digits");
        Directory.CreateDirectory(folder);

        var result = Coordinator(["history", folder, "--journal", database.ConnectionString]);

        Assert.Equal(2, result.Exit);
        Assert.DoesNotContain("password", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(database.Name, result.Stderr);
        Assert.Contains("holds no events of run-digits", result.Stderr);
    }

    private CoordinatorProcess.Result Coordinator(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = CoordinatorProcess.Run(args, environment, TimeSpan.FromMinutes(2));
        output.WriteLine($"coordinator {string.Join(' ', args)}\n{result}");
        return result;
    }

    private static Dictionary<string, double> Logs(double loss, double accuracy, double valLoss, double valAccuracy) => new()
    {
        ["loss"] = loss, ["accuracy"] = accuracy, ["val_loss"] = valLoss, ["val_accuracy"] = valAccuracy, ["learning_rate"] = 0.05,
    };

    /// <summary>Persists the events under the persistence id as a node's supervisor would (its journal settings, no cluster).</summary>
    private static void Persist(string connectionString, string persistenceId, IReadOnlyList<RunEvents.IRunEvent> events)
    {
        var config = ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.extensions = []")
            .WithFallback(AkkaConfig.ForPostgreSql(connectionString, ConfigurationFactory.ParseString(File.ReadAllText(TestFiles.ClusterConf))));
        using var system = ActorSystem.Create("cluster-run-writer", config);
        var writer = system.ActorOf(Props.Create(() => new EventWriter(persistenceId)));
        Assert.Equal(events.Count, writer.Ask<int>(events.ToArray(), Wait).GetAwaiter().GetResult());
        system.Terminate().Wait(Wait);
    }

    private sealed class EventWriter : ReceivePersistentActor
    {
        public EventWriter(string persistenceId)
        {
            PersistenceId = persistenceId;
            Command<RunEvents.IRunEvent[]>(events =>
            {
                var sender = Sender;
                var stored = 0;
                PersistAll(events, _ =>
                {
                    if (++stored == events.Length) sender.Tell(stored);
                });
            });
        }

        public override string PersistenceId { get; }
    }
}
