using Akka.Actor;
using Akka.Event;
using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Transfer;

/// <summary>
/// Receives one chunked message (<see cref="ChunkAssembler"/>), acknowledging every chunk with how many it
/// has taken in order; once whole and verified, deserializes it and delivers it to its target as if its
/// original sender had sent it. A payload that cannot be put together is rejected, naming why. After the
/// delivery it stays a while to acknowledge repeated chunks (so a lost last acknowledgement never makes the
/// message arrive twice), then stops; so does a transfer nobody sends to any more.
/// </summary>
internal sealed class ChunkReceiver : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ChunkAssembler? _assembler;
    private int? _delivered; // the chunk count, once delivered: the buffer is let go, repeats are acknowledged

    public ChunkReceiver(TransferSettings settings)
    {
        Context.SetReceiveTimeout(settings.IdleTimeout);
        Receive<TransferMessages.PayloadChunk>(chunk =>
        {
            if (_delivered is { } count)
            {
                Sender.Tell(new TransferMessages.ChunkAcked(chunk.TransferId, count));
                return;
            }
            try
            {
                _assembler ??= new ChunkAssembler(chunk.Count, chunk.TotalBytes, chunk.Sha256);
                var outcome = _assembler.Accept(chunk.Index, chunk.Count, chunk.TotalBytes, chunk.Data);
                var received = _assembler.Received;
                if (outcome == ChunkOutcome.Completed) Deliver(chunk);
                Sender.Tell(new TransferMessages.ChunkAcked(chunk.TransferId, received));
            }
            catch (Exception e) when (e is ChunkAssemblyException or System.Runtime.Serialization.SerializationException or ArgumentException)
            {
                _log.Error("a chunked message for {0} was rejected: {1}", chunk.Target.Path, e.Message);
                Sender.Tell(new TransferMessages.ChunkRejected(chunk.TransferId, e.Message));
                Context.Stop(Self);
            }
        });
        Receive<ReceiveTimeout>(_ =>
        {
            if (_assembler is { IsComplete: false } a)
                _log.Warning("a chunked message stalled after {0} of {1} chunks; dropped", a.Received, a.Count);
            Context.Stop(Self);
        });
    }

    public static Props Props(TransferSettings settings) => Akka.Actor.Props.Create(() => new ChunkReceiver(settings));

    private void Deliver(TransferMessages.PayloadChunk last)
    {
        var message = Context.System.Serialization.Deserialize(_assembler!.Payload, last.SerializerId, last.Manifest);
        (_assembler, _delivered) = (null, last.Count);
        last.Target.Tell(message, last.From ?? ActorRefs.NoSender);
    }
}
