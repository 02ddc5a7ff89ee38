using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;
using Coordinator.Actors.Protocol;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Serialization;

/// <summary>
/// The coordinator's own serializer for every message and event: JSON from source generation
/// under short, versioned manifests, and raw little-endian float32 bytes for tensor chunks
/// (never JSON: a chunk's payload is its 4 x n bytes plus a 16-byte header).
/// </summary>
public sealed class CoordinatorSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 1701;
    private const string RingChunkManifest = "ring-chunk.v1";
    private const string StartEpochManifest = "start-epoch.v2";
    private const int ChunkHeaderBytes = 16;

    // Model-sized bytes: binary (PayloadWire), never JSON.
    private const string PayloadChunkManifest = "payload-chunk.v1";
    private const string LoadWeightsManifest = "load-weights.v3";
    private const string LoadTrainingStateManifest = "load-training-state.v3";
    private const string WeightsCapturedManifest = "weights-captured.v2";
    private const string TrainingStateCapturedManifest = "training-state-captured.v2";

    private static readonly CoordinatorJsonContext Json = CoordinatorJsonContext.Default;

    // Manifest per type; ".vN" is the schema version, so older versions can be read after a change.
    private static readonly (Type Type, string Manifest, JsonTypeInfo Info)[] Table =
    [
        (typeof(NodeMessages.RequestAssignment), "request-assignment.v1", Json.RequestAssignment),
        (typeof(NodeMessages.Assignment), "assignment.v2", Json.Assignment),
        (typeof(WorkerCommands.Registered), "registered.v1", Json.Registered),
        (typeof(WorkerCommands.RegistrationRefused), "registration-refused.v1", Json.RegistrationRefused),
        (typeof(WorkerCommands.StopEpoch), "stop-epoch.v2", Json.StopEpoch),
        (typeof(WorkerCommands.AbortEpoch), "abort-epoch.v1", Json.AbortEpoch),
        (typeof(WorkerCommands.CaptureWeights), "capture-weights.v1", Json.CaptureWeights),
        (typeof(WorkerCommands.CaptureTrainingState), "capture-training-state.v1", Json.CaptureTrainingState),
        (typeof(WorkerCommands.HashTrainingState), "hash-training-state.v1", Json.HashTrainingState),
        (typeof(WorkerCommands.Evaluate), "evaluate.v2", Json.Evaluate),
        (typeof(WorkerCommands.RunEnded), "run-ended.v1", Json.RunEnded),
        (typeof(WorkerReports.RegisterWorker), "register-worker.v2", Json.RegisterWorker),
        (typeof(WorkerCommands.RegistrationRejected), "registration-rejected.v1", Json.RegistrationRejected),
        (typeof(TransferMessages.ChunkAcked), "chunk-acked.v1", Json.ChunkAcked),
        (typeof(TransferMessages.ChunkRejected), "chunk-rejected.v1", Json.ChunkRejected),
        (typeof(WorkerReports.EpochAborted), "epoch-aborted.v1", Json.EpochAborted),
        (typeof(WorkerReports.TrainingStateHashed), "training-state-hashed.v1", Json.TrainingStateHashed),
        (typeof(WorkerReports.TrainingStateLoaded), "training-state-loaded.v2", Json.TrainingStateLoaded),
        (typeof(BestWeightsSaved), "best-weights-saved.v1", Json.BestWeightsSaved),
        (typeof(BestWeightsDeleted), "best-weights-deleted.v1", Json.BestWeightsDeleted),
        (typeof(State.RunState), "run-state-snapshot.v2", Json.RunState),
        (typeof(WorkerReports.BatchTrained), "batch-trained.v2", Json.BatchTrained),
        (typeof(WorkerReports.EpochTrained), "epoch-trained.v3", Json.EpochTrained),
        (typeof(WorkerReports.WeightsLoaded), "weights-loaded.v2", Json.WeightsLoaded),
        (typeof(WorkerReports.Evaluated), "evaluated.v3", Json.Evaluated),
        (typeof(WorkerReports.WorkerFailed), "worker-failed.v2", Json.WorkerFailed),
        // Progress is never stored: v2 is the first version with a run id (and typed decisions); v1 is not read.
        (typeof(RunProgress.RunBegan), "progress-run-began.v2", Json.RunBegan),
        (typeof(RunProgress.EpochBegan), "progress-epoch-began.v2", Json.EpochBegan),
        (typeof(RunProgress.StepsReported), "progress-steps.v2", Json.StepsReported),
        (typeof(RunProgress.EpochSummarized), "progress-epoch-summarized.v2", Json.EpochSummarized),
        (typeof(RunProgress.WorkerWaiting), "progress-worker-waiting.v2", Json.WorkerWaiting),
        (typeof(RunProgress.MembersChanged), "progress-members-changed.v2", Json.MembersChanged),
        (typeof(RunProgress.EpochRestarting), "progress-epoch-restarting.v2", Json.EpochRestarting),
        (typeof(RunProgress.Warning), "progress-warning.v2", Json.Warning),
        (typeof(RunProgress.Note), "progress-note.v2", Json.Note),
        (typeof(RunProgress.Recovered), "progress-recovered.v2", Json.Recovered),
        (typeof(RunProgress.RecoveryFailed), "progress-recovery-failed.v2", Json.RecoveryFailed),
        (typeof(RunProgress.RunFinished), "progress-run-finished.v2", Json.RunFinished),
        (typeof(RunStarted), "run-started.v2", Json.RunStarted),
        (typeof(EpochLimitChanged), "epoch-limit-changed.v1", Json.EpochLimitChanged),
        (typeof(EpochCompleted), "epoch-completed.v2", Json.EpochCompleted),
        (typeof(LearningRateChanged), "lr-changed.v1", Json.LearningRateChanged),
        (typeof(CheckpointSaved), "checkpoint-saved.v1", Json.CheckpointSaved),
        (typeof(CheckpointDeleted), "checkpoint-deleted.v1", Json.CheckpointDeleted),
        (typeof(TrainingStopped), "training-stopped.v1", Json.TrainingStopped),
        (typeof(BestWeightsRestored), "best-weights-restored.v1", Json.BestWeightsRestored),
        (typeof(RunCompleted), "run-completed.v2", Json.RunCompleted),
        (typeof(RunFailed), "run-failed.v1", Json.RunFailed),
        (typeof(ResumeStateSaved), "resume-state-saved.v1", Json.ResumeStateSaved),
        (typeof(ResumeStateDeleted), "resume-state-deleted.v1", Json.ResumeStateDeleted),
        (typeof(RunResumed), "run-resumed.v1", Json.RunResumed),
        (typeof(CheckpointCorrupted), "checkpoint-corrupted.v1", Json.CheckpointCorrupted),
        (typeof(RunRewound), "run-rewound.v1", Json.RunRewound),
        (typeof(WorkerJoined), "worker-joined.v1", Json.WorkerJoined),
        (typeof(WorkerLost), "worker-lost.v1", Json.WorkerLost),
        (typeof(EpochRestarted), "epoch-restarted.v1", Json.EpochRestarted),
        (typeof(CallbackWarned), "callback-warned.v1", Json.CallbackWarned),
    ];

    private static readonly Dictionary<Type, (string Manifest, JsonTypeInfo Info)> ByType =
        Table.ToDictionary(t => t.Type, t => (t.Manifest, t.Info));

    private static readonly Dictionary<string, JsonTypeInfo> ByManifest =
        Table.ToDictionary(t => t.Manifest, t => t.Info);

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        AllreduceMessages.RingChunk => RingChunkManifest,
        WorkerCommands.StartEpoch => StartEpochManifest,
        TransferMessages.PayloadChunk => PayloadChunkManifest,
        WorkerCommands.LoadWeights => LoadWeightsManifest,
        WorkerCommands.LoadTrainingState => LoadTrainingStateManifest,
        WorkerReports.WeightsCaptured => WeightsCapturedManifest,
        WorkerReports.TrainingStateCaptured => TrainingStateCapturedManifest,
        _ when ByType.TryGetValue(o.GetType(), out var entry) => entry.Manifest,
        _ => throw new ArgumentException($"{nameof(CoordinatorSerializer)} cannot serialize {o.GetType().FullName}"),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        AllreduceMessages.RingChunk chunk => ChunkToBytes(chunk),
        WorkerCommands.StartEpoch start => JsonSerializer.SerializeToUtf8Bytes(StartEpochWire.From(start), Json.StartEpochWire),
        TransferMessages.PayloadChunk chunk => PayloadWire.ChunkToBytes(chunk),
        WorkerCommands.LoadWeights m => PayloadWire.ToBytes(m.RequestId, m.Weights),
        WorkerCommands.LoadTrainingState m => PayloadWire.ToBytes(m.RequestId, m.State),
        WorkerReports.WeightsCaptured m => PayloadWire.ToBytes(m.RequestId, m.Weights),
        WorkerReports.TrainingStateCaptured m => PayloadWire.ToBytes(m.RequestId, m.State),
        _ when ByType.TryGetValue(obj.GetType(), out var entry) => JsonSerializer.SerializeToUtf8Bytes(obj, entry.Info),
        _ => throw new ArgumentException($"{nameof(CoordinatorSerializer)} cannot serialize {obj.GetType().FullName}"),
    };

    // Older versions of events, read and upcast to the current shape (docs/EVENTS.md lists them).
    private static readonly Dictionary<string, Func<byte[], object>> Upcasters = new()
    {
        ["epoch-completed.v1"] = bytes => (JsonSerializer.Deserialize(bytes, Json.EpochCompletedV1)
            ?? throw new SerializationException("epoch-completed.v1: the payload was null")).Upcast(),
        ["run-completed.v1"] = bytes => (JsonSerializer.Deserialize(bytes, Json.RunCompletedV1)
            ?? throw new SerializationException("run-completed.v1: the payload was null")).Upcast(),
        ["run-state-snapshot.v1"] = bytes => JsonSerializer.Deserialize(Legacy.RunStateSnapshotV1.Upcast(bytes), Json.RunState)
            ?? throw new SerializationException("run-state-snapshot.v1: the payload was null"),
        // v1 is v2 without DataSha256 and Settings: the same JSON reads as v2 with both null.
        ["run-started.v1"] = bytes => JsonSerializer.Deserialize(bytes, Json.RunStarted)
            ?? throw new SerializationException("run-started.v1: the payload was null"),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest == RingChunkManifest) return ChunkFromBytes(bytes);
        if (manifest == StartEpochManifest)
            return (JsonSerializer.Deserialize(bytes, Json.StartEpochWire)
                    ?? throw new SerializationException($"{manifest}: the payload was null")).To(system);
        if (manifest == PayloadChunkManifest) return PayloadWire.ChunkFromBytes(bytes, system, manifest);
        if (FromPayloadWire(bytes, manifest) is { } large) return large;
        if (Upcasters.TryGetValue(manifest, out var upcast)) return upcast(bytes);
        if (ByManifest.TryGetValue(manifest, out var info))
            return JsonSerializer.Deserialize(bytes, info)
                   ?? throw new SerializationException($"{manifest}: the payload was null");
        throw new SerializationException($"{nameof(CoordinatorSerializer)}: unknown manifest '{manifest}'");
    }

    private static object? FromPayloadWire(byte[] bytes, string manifest)
    {
        if (manifest is not (LoadWeightsManifest or LoadTrainingStateManifest or WeightsCapturedManifest or TrainingStateCapturedManifest))
            return null;
        var (id, payload) = PayloadWire.FromBytes(bytes, manifest);
        if (payload is null && manifest != LoadTrainingStateManifest) throw new SerializationException($"{manifest}: the payload is missing");
        return manifest switch
        {
            LoadWeightsManifest => new WorkerCommands.LoadWeights(id, payload!),
            LoadTrainingStateManifest => new WorkerCommands.LoadTrainingState(id, payload),
            WeightsCapturedManifest => new WorkerReports.WeightsCaptured(id, payload!),
            _ => new WorkerReports.TrainingStateCaptured(id, payload!),
        };
    }

    /// <summary>The payload size of a chunk: header plus raw float32 bytes.</summary>
    public static int ChunkSize(int floats) => ChunkHeaderBytes + floats * sizeof(float);

    private static byte[] ChunkToBytes(AllreduceMessages.RingChunk chunk)
    {
        var bytes = new byte[ChunkSize(chunk.Data.Length)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, chunk.Round);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), chunk.Step);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), chunk.Chunk);
        var payload = MemoryMarshal.AsBytes(chunk.Data.AsSpan());
        if (BitConverter.IsLittleEndian) payload.CopyTo(bytes.AsSpan(ChunkHeaderBytes));
        else
            for (var i = 0; i < chunk.Data.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(ChunkHeaderBytes + i * 4), chunk.Data[i]);
        return bytes;
    }

    private static AllreduceMessages.RingChunk ChunkFromBytes(byte[] bytes)
    {
        if (bytes.Length < ChunkHeaderBytes || (bytes.Length - ChunkHeaderBytes) % 4 != 0)
            throw new SerializationException($"ring chunk of {bytes.Length} bytes is malformed");
        var data = new float[(bytes.Length - ChunkHeaderBytes) / 4];
        if (BitConverter.IsLittleEndian) bytes.AsSpan(ChunkHeaderBytes).CopyTo(MemoryMarshal.AsBytes(data.AsSpan()));
        else
            for (var i = 0; i < data.Length; i++)
                data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(ChunkHeaderBytes + i * 4));
        return new AllreduceMessages.RingChunk(
            BinaryPrimitives.ReadInt64LittleEndian(bytes),
            BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)),
            BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)),
            data);
    }
}
