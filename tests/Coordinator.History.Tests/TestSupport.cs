using System.Security.Cryptography;
using Akka.Actor;
using Akka.Persistence;
using Coordinator.Cli;
using Coordinator.Cli.Hosting;
using Microsoft.Data.Sqlite;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.History.Tests;

/// <summary>A folder of its own for one test, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "coordinator-history-tests", Guid.NewGuid().ToString("N")[..12]);

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>The coordinator command line in this process, its output captured.</summary>
public static class Cli
{
    public sealed record Result(int Exit, string Out, string Err)
    {
        public string[] Lines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    }

    public static Result Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CoordinatorCli.Run(args, stdout, stderr);
        return new Result(exit, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>Files a scripted run records: written for real, with their SHA-256.</summary>
public static class RunFiles
{
    public static (string Path, string Sha256, long Bytes) Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        var bytes = File.ReadAllBytes(path);
        return (path, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }
}

/// <summary>
/// Writes a run's journal without training: an ActorSystem configured as <c>train</c> configures it
/// (<see cref="AkkaConfig.ForSqlite"/> on the run folder's journal.db) and a persistent actor with the
/// run's persistence id that persists a scripted list of events through the real serializer.
/// </summary>
public static class JournalWriter
{
    public static void Write(string runFolder, IReadOnlyList<IRunEvent> events, string? persistenceId = null)
    {
        Directory.CreateDirectory(runFolder);
        var journal = Path.Combine(runFolder, "journal.db");
        persistenceId ??= "run-" + Path.GetFileName(runFolder);
        var system = ActorSystem.Create("history-tests-writer", AkkaConfig.ForSqlite(journal, null));
        try
        {
            var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new ScriptedRun(persistenceId, events, done)), "scripted-run");
            var stored = done.Task.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            Assert.Equal(events.Count, stored);
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>
    /// Appends a row the way Akka.Persistence.Sql stores one, with a manifest of the coordinator
    /// serializer (id 1701) that this build does not know: an event from a newer coordinator.
    /// </summary>
    public static void AppendRaw(string runFolder, string manifest, string json, long sequenceNr)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(runFolder, "journal.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid)
            VALUES ($created, 0, $pid, $seq, $message, $manifest, 1701, 'tests')
            """;
        command.Parameters.AddWithValue("$created", DateTime.UtcNow.Ticks);
        command.Parameters.AddWithValue("$pid", "run-" + Path.GetFileName(runFolder));
        command.Parameters.AddWithValue("$seq", sequenceNr);
        command.Parameters.AddWithValue("$message", System.Text.Encoding.UTF8.GetBytes(json));
        command.Parameters.AddWithValue("$manifest", manifest);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private sealed class ScriptedRun : ReceivePersistentActor
    {
        private readonly TaskCompletionSource<long> _done;

        public ScriptedRun(string persistenceId, IReadOnlyList<IRunEvent> events, TaskCompletionSource<long> done)
        {
            (PersistenceId, _done) = (persistenceId, done);
            Recover<IRunEvent>(_ => { });
            Recover<RecoveryCompleted>(_ => Self.Tell(Go.Instance));
            Command<Go>(_ =>
            {
                if (events.Count == 0)
                {
                    _done.TrySetResult(0);
                    return;
                }
                var stored = 0L;
                PersistAll(events, _ =>
                {
                    if (++stored == events.Count) _done.TrySetResult(stored);
                });
            });
        }

        public override string PersistenceId { get; }

        protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
        {
            _done.TrySetException(cause);
            base.OnPersistFailure(cause, @event, sequenceNr);
        }

        protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
        {
            _done.TrySetException(cause);
            base.OnPersistRejected(cause, @event, sequenceNr);
        }

        private sealed class Go
        {
            public static readonly Go Instance = new();
        }
    }
}
