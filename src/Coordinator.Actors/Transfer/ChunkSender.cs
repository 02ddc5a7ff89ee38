using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Transfer;

/// <summary>
/// Sends one message to an actor on another node in chunks: serializes it (with the message's own
/// serializer), sends a window of chunks to the receiving node's endpoint, more as acknowledgements come,
/// and from the first unacknowledged chunk again when none comes in time (<see cref="SendWindow"/>). After
/// <see cref="TransferSettings.Retries"/> silent timeouts, or a rejection, the original sender is told
/// <see cref="TransferMessages.TransferFailed"/>. Stops when done.
/// </summary>
internal sealed class ChunkSender : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly long _id;
    private readonly TransferEndpoint.Send _send;
    private readonly TransferSettings _settings;
    private byte[] _bytes = [];
    private string _sha256 = "";
    private int _serializerId;
    private string _manifest = "";
    private SendWindow _window = null!;
    private ActorSelection _endpoint = null!;
    private int _timeouts;

    public ChunkSender(long id, TransferEndpoint.Send send, TransferSettings settings)
    {
        (_id, _send, _settings) = (id, send, settings);
        Receive<TransferMessages.ChunkAcked>(a => a.TransferId == _id, acked =>
        {
            IReadOnlyList<int> next;
            try
            {
                next = _window.Acknowledged(acked.Received);
            }
            catch (ChunkAssemblyException e)
            {
                Fail(e.Message);
                return;
            }
            if (_window.IsDone)
            {
                Context.Stop(Self);
                return;
            }
            if (next.Count > 0) _timeouts = 0;
            SendChunks(next);
            ArmTimer();
        });
        Receive<TransferMessages.ChunkRejected>(r => r.TransferId == _id, r => Fail($"the receiving node rejected it: {r.Reason}"));
        Receive<AckTimedOut>(_ =>
        {
            if (++_timeouts > _settings.Retries)
            {
                Fail($"no acknowledgement of chunk {_window.Acked + 1} of {_window.Count} after {_timeouts} waits of {_settings.AckTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}s");
                return;
            }
            SendChunks(_window.TimedOut());
            ArmTimer();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(long id, TransferEndpoint.Send send, TransferSettings settings) =>
        Akka.Actor.Props.Create(() => new ChunkSender(id, send, settings));

    protected override void PreStart()
    {
        try
        {
            var serialization = Context.System.Serialization;
            var serializer = serialization.FindSerializerFor(_send.Message);
            _serializerId = serializer.Identifier;
            _manifest = Akka.Serialization.Serialization.ManifestFor(serializer, _send.Message);
            _bytes = serializer.ToBinary(_send.Message);
        }
        catch (Exception e)
        {
            Fail($"it could not be serialized: {e.Message}");
            return;
        }
        _sha256 = Convert.ToHexStringLower(SHA256.HashData(_bytes));
        _window = new SendWindow(Math.Max(1, (int)((_bytes.LongLength + _settings.ChunkBytes - 1) / _settings.ChunkBytes)), _settings.Window);
        _endpoint = Context.ActorSelection(PayloadTransfer.EndpointOf(_send.Target));
        SendChunks(_window.Start());
        ArmTimer();
    }

    private void SendChunks(IReadOnlyList<int> indexes)
    {
        foreach (var index in indexes)
        {
            var start = (long)index * _settings.ChunkBytes;
            var length = (int)Math.Min(_settings.ChunkBytes, _bytes.LongLength - start);
            _endpoint.Tell(new TransferMessages.PayloadChunk(_id, index, _window.Count, _bytes.LongLength, _sha256,
                _send.Target, _send.Sender.IsNobody() ? null : _send.Sender, _serializerId, _manifest, _bytes.AsSpan((int)start, length).ToArray()), Self);
        }
    }

    private void ArmTimer() => Timers.StartSingleTimer("ack", AckTimedOut.Instance, _settings.AckTimeout);

    private void Fail(string reason)
    {
        var type = _send.Message.GetType().Name;
        _log.Error("{0} ({1} bytes) for {2} could not be sent: {3}", type, _bytes.LongLength, _send.Target.Path, reason);
        if (!_send.Sender.IsNobody()) _send.Sender.Tell(new TransferMessages.TransferFailed(_send.Target, type, reason));
        Context.Stop(Self);
    }

    private sealed class AckTimedOut : INoSerializationVerificationNeeded
    {
        public static readonly AckTimedOut Instance = new();
    }
}
