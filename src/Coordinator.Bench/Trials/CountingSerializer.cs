using Akka.Actor;
using Akka.Serialization;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Serialization;

namespace Coordinator.Cli.Bench.Trials;

/// <summary>
/// The coordinator's serializer with a meter on it: every message it serializes is counted, in
/// bytes, against the actor that sends it and the one that receives it (B3). With
/// <c>serialize-messages = on</c> every message between actors crosses it once, and every event
/// and snapshot the journal stores does too. Bound in place of the coordinator's serializer by the
/// trial's <c>akka { }</c> section.
/// </summary>
public sealed class CountingSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private readonly CoordinatorSerializer _inner = new(system);

    public override int Identifier => _inner.Identifier;

    public override string Manifest(object o) => _inner.Manifest(o);

    public override byte[] ToBinary(object obj)
    {
        var bytes = _inner.ToBinary(obj);
        TrafficCounter.Count(obj, bytes.Length);
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest) => _inner.FromBinary(bytes, manifest);
}

/// <summary>
/// Bytes in and out per actor of one run in this process. Who sends what follows from the
/// protocol, not from the transport: a ring chunk of step s carrying chunk c is sent by rank
/// (c + s) mod N to its successor; a worker's report goes to the supervisor (from the rank it names,
/// or, for replies every member sends alike, such as captured training states, a share from each;
/// captured weights come from the first member); commands go from
/// the supervisor to a worker; progress goes to the observer; events and snapshots go from the
/// supervisor to the journal.
/// </summary>
public static class TrafficCounter
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, long> In = [];
    private static readonly Dictionary<string, long> Out = [];
    private static int _workers;
    private static long _rounds, _chunkBytes, _chunkFloatBytes;

    public const string Supervisor = "supervisor";
    private const string EachWorker = "each worker";

    public static void Start(int workers)
    {
        lock (Gate)
        {
            (_workers, _rounds, _chunkBytes, _chunkFloatBytes) = (workers, 0, 0, 0);
            In.Clear();
            Out.Clear();
        }
    }

    public static void Count(object message, int bytes)
    {
        lock (Gate)
        {
            if (_workers == 0) return;
            var (from, to) = Route(message);
            if (from == EachWorker) // the same reply from every member (captured states, evaluations): a share each
                for (var w = 0; w < _workers; w++) Out[Worker(w)] = Out.GetValueOrDefault(Worker(w)) + bytes / _workers;
            else
                Out[from] = Out.GetValueOrDefault(from) + bytes;
            In[to] = In.GetValueOrDefault(to) + bytes;
            if (message is not AllreduceMessages.RingChunk chunk) return;
            _chunkBytes += bytes;
            _chunkFloatBytes += chunk.Data.Length * sizeof(float);
            if (chunk is { Step: 0, Chunk: 0 }) _rounds++; // worker 0 sends chunk 0 at step 0 once per round
        }
    }

    public static TrafficCounts Snapshot()
    {
        lock (Gate) return new TrafficCounts(new Dictionary<string, long>(In), new Dictionary<string, long>(Out), _rounds, _chunkBytes, _chunkFloatBytes);
    }

    private static (string From, string To) Route(object message)
    {
        if (message is AllreduceMessages.RingChunk chunk)
        {
            var sender = (chunk.Chunk + chunk.Step) % _workers;
            return (Worker(sender), Worker((sender + 1) % _workers));
        }
        // By protocol class rather than by message type, so that new messages are routed too.
        var protocol = message.GetType().DeclaringType;
        if (protocol == typeof(WorkerCommands)) return (Supervisor, "worker (a command)");
        if (protocol == typeof(WorkerReports))
            return (message.GetType().GetProperty("Worker")?.GetValue(message) is int rank ? Worker(rank)
                : message is WorkerReports.WeightsCaptured ? Worker(0) // asked of the first member only
                : EachWorker, Supervisor);
        if (protocol == typeof(RunProgress)) return (Supervisor, "observer");
        if (message.GetType().Namespace?.EndsWith(".Events", StringComparison.Ordinal) == true || message.GetType().Name == "RunState")
            return (Supervisor, "journal");
        return message.GetType().GetProperty("Worker")?.GetValue(message) is int worker ? (Worker(worker), Supervisor) : ("other", "other");
    }

    private static string Worker(int i) => $"worker-{i}";
}
