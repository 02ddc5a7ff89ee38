using Akka.Actor;
using Akka.Persistence;

namespace Coordinator.Actors.Journal;

/// <summary>
/// Replays every stored event of one persistence id (no snapshot) straight from a journal plug-in, as a persistent
/// actor's recovery does, and hands them over as <see cref="Replayed"/> (or <see cref="ReplayFailed"/>), then stops.
/// It is the one way runs are read back: the supervisor's end-of-run history, <c>history</c> and <c>runs</c>, and
/// the Testing library. It works on any journal (SQLite, PostgreSQL, in memory) and, unlike a recovering
/// persistent actor, keeps each event's sequence number and stored time.
/// </summary>
public sealed class JournalReplayer : ReceiveActor
{
    private readonly List<JournalRecord> _records = [];
    private readonly string _persistenceId;
    private readonly string? _journalPluginId;
    private readonly Action<object> _reply;

    /// <summary>Use <see cref="Props(string, IActorRef, string?, TimeSpan?)"/>; public because Akka creates actors through public constructors.</summary>
    public JournalReplayer(string persistenceId, string? journalPluginId, TimeSpan timeout, Action<object> reply)
    {
        (_persistenceId, _journalPluginId, _reply) = (persistenceId, journalPluginId, reply);
        Receive<ReplayedMessage>(m => _records.Add(new JournalRecord(m.Persistent.SequenceNr, StoredAt(m.Persistent.Timestamp), m.Persistent.Payload)));
        Receive<RecoverySuccess>(_ => Finish(new Replayed(_persistenceId, _records.ToArray())));
        Receive<ReplayMessagesFailure>(f => Finish(new ReplayFailed(_persistenceId, f.Cause)));
        Receive<ReceiveTimeout>(_ => Finish(new ReplayFailed(_persistenceId,
            new TimeoutException($"the journal did not finish replaying {_persistenceId} within {timeout.TotalSeconds:0.#}s"))));
        Context.SetReceiveTimeout(timeout);
    }

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Replays <paramref name="persistenceId"/> from the journal plug-in <paramref name="journalPluginId"/>
    /// (null: the system's default journal) and tells <paramref name="replyTo"/> the outcome.</summary>
    public static Props Props(string persistenceId, IActorRef replyTo, string? journalPluginId = null, TimeSpan? timeout = null) =>
        Akka.Actor.Props.Create(() => new JournalReplayer(persistenceId, journalPluginId, timeout ?? DefaultTimeout, m => replyTo.Tell(m, ActorRefs.NoSender)));

    /// <summary>The same with the outcome handed to <paramref name="reply"/> (<see cref="JournalReplay.ReplayAsync"/>).</summary>
    internal static Props Props(string persistenceId, Action<object> reply, string? journalPluginId, TimeSpan? timeout) =>
        Akka.Actor.Props.Create(() => new JournalReplayer(persistenceId, journalPluginId, timeout ?? DefaultTimeout, reply));

    protected override void PreStart()
    {
        IActorRef journal;
        try
        {
            journal = Persistence.Instance.Apply(Context.System).JournalFor(_journalPluginId);
        }
        // A plug-in id that is not configured: say so, rather than die in PreStart and leave the caller waiting.
        catch (Exception e) when (e is ArgumentException or Akka.Configuration.ConfigurationException)
        {
            Finish(new ReplayFailed(_persistenceId, e));
            return;
        }
        journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, _persistenceId, Self));
    }

    private void Finish(object outcome)
    {
        _reply(outcome);
        Context.Stop(Self);
    }

    // Journals store ticks (UTC); 0 or a value out of range means none was kept.
    private static DateTimeOffset? StoredAt(long ticks) =>
        ticks > 0 && ticks <= DateTime.MaxValue.Ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Every event of <see cref="PersistenceId"/>, in sequence order.</summary>
    public sealed record Replayed(string PersistenceId, IReadOnlyList<JournalRecord> Records) : INoSerializationVerificationNeeded;

    /// <summary>The journal could not replay the events (it could not start, or a stored event could not be read back).</summary>
    public sealed record ReplayFailed(string PersistenceId, Exception Cause) : INoSerializationVerificationNeeded;
}

/// <summary>A replay that failed: names the persistence id; <see cref="Exception.InnerException"/> is the journal's reason.</summary>
public sealed class JournalReplayException(string persistenceId, Exception cause)
    : Exception($"replaying {persistenceId} failed: {cause.Message}", cause)
{
    public string PersistenceId { get; } = persistenceId;
}
