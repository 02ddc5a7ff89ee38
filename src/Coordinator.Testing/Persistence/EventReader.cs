using Akka.Actor;
using Akka.Persistence;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Testing.Persistence;

/// <summary>Replays a persistence id's events (not its snapshots), as a supervisor recovering would, and
/// sends them to <c>replyTo</c> (<see cref="Replayed"/>, or <see cref="ReplayFailed"/>).</summary>
public sealed class EventReader : ReceivePersistentActor
{
    private readonly List<IRunEvent> _events = [];
    private readonly IActorRef _replyTo;

    public EventReader(string persistenceId, IActorRef replyTo)
    {
        (PersistenceId, _replyTo) = (persistenceId, replyTo);
        Recover<IRunEvent>(_events.Add);
        Recover<RecoveryCompleted>(_ =>
        {
            _replyTo.Tell(new Replayed(_events.ToArray()));
            Context.Stop(Self);
        });
    }

    public override string PersistenceId { get; }

    public override Recovery Recovery => new(SnapshotSelectionCriteria.None);

    public static Props Props(string persistenceId, IActorRef replyTo) => Akka.Actor.Props.Create(() => new EventReader(persistenceId, replyTo));

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _replyTo.Tell(new ReplayFailed(PersistenceId, reason));
        base.OnRecoveryFailure(reason, message);
    }

    public sealed record Replayed(IReadOnlyList<IRunEvent> Events) : INoSerializationVerificationNeeded;

    public sealed record ReplayFailed(string PersistenceId, Exception Cause) : INoSerializationVerificationNeeded;
}
