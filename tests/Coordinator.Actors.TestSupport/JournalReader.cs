using Akka.Actor;
using Akka.Persistence;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.TestSupport;

/// <summary>Replays a persistence id's events (not its snapshots) and sends them to <paramref name="replyTo"/>.</summary>
public sealed class JournalReader : ReceivePersistentActor
{
    private readonly List<IRunEvent> _events = [];

    public JournalReader(string persistenceId, IActorRef replyTo)
    {
        PersistenceId = persistenceId;
        Recover<IRunEvent>(_events.Add);
        Recover<RecoveryCompleted>(_ =>
        {
            replyTo.Tell(new Replayed(_events.ToArray()));
            Context.Stop(Self);
        });
    }

    public override string PersistenceId { get; }

    // Every event from the journal, ignoring snapshots.
    public override Recovery Recovery => new(SnapshotSelectionCriteria.None);

    public sealed record Replayed(IReadOnlyList<IRunEvent> Events) : INoSerializationVerificationNeeded;
}
