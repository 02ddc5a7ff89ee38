using Akka.Actor;
using Akka.Persistence;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Tests;

/// <summary>Replays a persistence id and sends its events to <paramref name="replyTo"/>.</summary>
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

    public sealed record Replayed(IReadOnlyList<IRunEvent> Events) : INoSerializationVerificationNeeded;
}
