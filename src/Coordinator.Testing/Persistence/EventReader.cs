using Akka.Actor;
using Coordinator.Actors.Journal;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Testing.Persistence;

/// <summary>Replays a persistence id's events (not its snapshots) from the system's journal, through the
/// coordinator's one journal reader (<see cref="JournalReplayer"/>), and sends them to <c>replyTo</c>
/// (<see cref="Replayed"/>, or <see cref="ReplayFailed"/>).</summary>
public sealed class EventReader : ReceiveActor
{
    public EventReader(string persistenceId, IActorRef replyTo)
    {
        PersistenceId = persistenceId;
        Receive<JournalReplayer.Replayed>(r =>
        {
            replyTo.Tell(new Replayed(r.Records.Select(x => x.Payload).OfType<IRunEvent>().ToArray()));
            Context.Stop(Self);
        });
        Receive<JournalReplayer.ReplayFailed>(f =>
        {
            replyTo.Tell(new ReplayFailed(f.PersistenceId, f.Cause));
            Context.Stop(Self);
        });
    }

    public string PersistenceId { get; }

    public static Props Props(string persistenceId, IActorRef replyTo) => Akka.Actor.Props.Create(() => new EventReader(persistenceId, replyTo));

    protected override void PreStart() => Context.ActorOf(JournalReplayer.Props(PersistenceId, Self), "replay");

    public sealed record Replayed(IReadOnlyList<IRunEvent> Events) : INoSerializationVerificationNeeded;

    public sealed record ReplayFailed(string PersistenceId, Exception Cause) : INoSerializationVerificationNeeded;
}
