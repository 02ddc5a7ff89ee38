using Akka.Actor;
using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Transfer;

/// <summary>
/// A process's end of chunked transfers (<c>/system/payload-transfer</c>): each message to send gets a
/// <see cref="ChunkSender"/>, each incoming transfer (by sender and id) a <see cref="ChunkReceiver"/>.
/// </summary>
internal sealed class TransferEndpoint : ReceiveActor
{
    private readonly Dictionary<(string Sender, long Id), IActorRef> _incoming = [];
    private readonly Dictionary<IActorRef, (string, long)> _keys = [];
    private long _nextId;

    public TransferEndpoint(TransferSettings settings)
    {
        Receive<Send>(send => Context.ActorOf(ChunkSender.Props(++_nextId, send, settings), $"out-{_nextId}"));
        Receive<TransferMessages.PayloadChunk>(chunk =>
        {
            var key = (Sender.Path.ToStringWithAddress(), chunk.TransferId);
            if (!_incoming.TryGetValue(key, out var receiver))
            {
                if (chunk.Index != 0)
                {
                    // Not begun here (its first chunk was lost, or it finished long ago): back to the start.
                    Sender.Tell(new TransferMessages.ChunkAcked(chunk.TransferId, 0));
                    return;
                }
                receiver = Context.Watch(Context.ActorOf(ChunkReceiver.Props(settings), $"in-{++_nextId}"));
                _incoming[key] = receiver;
                _keys[receiver] = key;
            }
            receiver.Forward(chunk);
        });
        Receive<Terminated>(t =>
        {
            if (_keys.Remove(t.ActorRef, out var key)) _incoming.Remove(key);
        });
    }

    public static Props Props(TransferSettings settings) => Akka.Actor.Props.Create(() => new TransferEndpoint(settings));

    // A transfer is one message: whatever goes wrong stays with it.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>Local: send <see cref="Message"/> to <see cref="Target"/> on another node, in chunks.</summary>
    internal sealed record Send(IActorRef Target, object Message, IActorRef Sender) : INoSerializationVerificationNeeded;
}
