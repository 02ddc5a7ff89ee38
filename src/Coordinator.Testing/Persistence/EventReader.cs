using Akka.Actor;
using Akka.Persistence;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Testing.Persistence;

/// <summary>Replays a persistence id's events (not its snapshots) and sends them to <c>replyTo</c>.</summary>
public sealed class EventReader : ReceivePersistentActor
{
    private readonly List<IRunEvent> _events = [];

    public EventReader(string persistenceId, IActorRef replyTo)
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

    public override Recovery Recovery => new(SnapshotSelectionCriteria.None);

    public static Props Props(string persistenceId, IActorRef replyTo) => Akka.Actor.Props.Create(() => new EventReader(persistenceId, replyTo));

    public sealed record Replayed(IReadOnlyList<IRunEvent> Events) : INoSerializationVerificationNeeded;
}
