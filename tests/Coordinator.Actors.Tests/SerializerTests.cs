using Akka.Actor;
using Akka.TestKit.Xunit2;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Serialization;
using Coordinator.Core.Reporting;
using static Coordinator.Actors.Events.RunEvents;

using Coordinator.Actors.TestSupport;

namespace Coordinator.Actors.Tests;

public sealed class SerializerTests() : TestKit(TestConfig.Create())
{
    public static TheoryData<object> Messages() =>
    [
        new WorkerCommands.Registered(12, "run-1"),
        new WorkerCommands.RegistrationRefused("full"),
        new WorkerCommands.StopEpoch(12, 3),
        new WorkerCommands.AbortEpoch(13, 3),
        new WorkerCommands.CaptureWeights(7),
        new WorkerCommands.CaptureTrainingState(7),
        new WorkerCommands.HashTrainingState(7),
        new WorkerCommands.LoadWeights(8, [1, 2, 255]),
        new WorkerCommands.LoadTrainingState(8, [0, 9]),
        new WorkerCommands.LoadTrainingState(8, null),
        new WorkerCommands.Evaluate(9, 1, 3),
        new WorkerCommands.RunEnded(20, "completed"),
        new WorkerReports.RegisterWorker("node-2:4053/worker-0", 4810),
        new WorkerReports.BatchTrained(1, 3, 14, 12.5, 32, 12),
        new WorkerReports.EpochTrained(1, 3, 23, 100.25, 700, 720, 20.5, 170, 180, 123456, "abcdef0123456789", 12),
        new WorkerReports.EpochAborted(3, 13),
        new WorkerReports.WeightsCaptured(7, [1, 2, 3]),
        new WorkerReports.TrainingStateCaptured(7, [4, 5]),
        new WorkerReports.TrainingStateHashed(7, "00ff"),
        new WorkerReports.TrainingStateLoaded(8, "abcd"),
        new WorkerReports.WeightsLoaded(8, "abcd"),
        new WorkerReports.Evaluated(9, 1, 2, 3, 4, 5, 6),
        new WorkerReports.WorkerFailed("worker-2", "boom"),
        new RunProgress.RunBegan(60, 23, ["worker-0", "worker-1"], Resumed: false) { RunId = "r1" },
        new RunProgress.EpochBegan(1, 60, 23, 0.01) { RunId = "r1" },
        new RunProgress.StepsReported(1, 5, [0.5, 0.25, double.NaN]) { RunId = "r1" },
        new RunProgress.EpochSummarized(1, new Dictionary<string, double> { ["loss"] = 0.5, ["val_loss"] = double.NaN }, 1.5,
        [
            new EpochDecision.RateChanged("reduce-lr-on-plateau", 0.01, 0.002, "plateau"),
            new EpochDecision.CheckpointSaved("model-checkpoint", "ckpt-02.weights", "regular", null),
            new EpochDecision.CheckpointDeleted("model-checkpoint", "ckpt-01.weights", "top-k"),
            new EpochDecision.BestWeightsMarked("early-stopping"),
            new EpochDecision.StopRequested("terminate-on-nan", "NonFiniteLoss", 3, "batch 3: loss is nan"),
            new EpochDecision.Warned("early-stopping", "val_loss = nan is not finite"),
            new EpochDecision.LogRowWritten("csv-logger", "log.csv"),
        ]) { RunId = "r1" },
        new RunProgress.WorkerWaiting("node-3:4053/worker-0") { RunId = "r1" },
        new RunProgress.MembersChanged(MemberChange.LostDuringEpoch, "node-2:4053/worker-0", 5, ["node-1:4053/worker-0"], "stopped") { RunId = "r1" },
        new RunProgress.EpochRestarting(5, 1, 1, 3) { RunId = "r1" },
        new RunProgress.Warning("careful", "early-stopping") { RunId = "r1" },
        new RunProgress.Note("resuming after epoch 3 (of 60)") { RunId = "r1" },
        new RunProgress.Recovered(100, 120, 12) { RunId = "r1" },
        new RunProgress.RecoveryFailed("run r1: its journal could not be read back") { RunId = "r1" },
        new RunStarted("r1", 2, "gradients", 42, 60, 0.05, 4810, "sha", new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero))
        {
            DataSha256 = "d474", Settings = new SortedDictionary<string, string> { ["model.hidden"] = "[128]", ["training.epochs"] = "60" },
        },
        new EpochLimitChanged(60, 80, new DateTimeOffset(2026, 11, 29, 13, 0, 0, TimeSpan.Zero)),
        new EpochCompleted(4, 0.01, new Dictionary<string, double> { ["loss"] = 0.25, ["learning_rate"] = 0.01 }, 2.5, 23, 999, "{\"x\":1}"),
        new LearningRateChanged(5, 0.01, 0.002, "plateau", "reduce-lr-on-plateau"),
        new CheckpointSaved(5, null, "/r/c.weights", "sha", 100, "val_loss", 0.123, "regular"),
        new CheckpointDeleted(6, "/r/c.weights", "top-k"),
        new TrainingStopped(9, null, "NoImprovement", "early-stopping", "val_loss did not improve"),
        new BestWeightsRestored(5, "early-stopping"),
        new BestWeightsDeleted(4, "/r/state/best-e0004.weights"),
        new RunCompleted("stopped", new FinalMetrics(0.1, 0.97, 0.12, 0.96), "/r/final.weights", "sha", 2048, 33.5),
        new RunFailed("worker 1 failed", 3),
        new WorkerJoined("node-3:4053/worker-0", 4, 3),
        new WorkerLost("node-2:4053/worker-0", 5, "stopped", 2),
        new EpochRestarted(5, 2, 1, 3),
        new CallbackWarned(2, "early-stopping", "val_loss = nan at epoch 3 is not finite: no improvement for early-stopping (best 0.5)"),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_round_trips_through_the_coordinator_serializer(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<CoordinatorSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        var back = Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);
        Assert.Equal(Text(message), Text(back));
        Assert.Equal(message.GetType(), back.GetType());
    }

    // Compares records with collections inside by their full JSON text (NaN allowed).
    private static string Text(object o) => System.Text.Json.JsonSerializer.Serialize(o, o.GetType(),
        new System.Text.Json.JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });

    [Fact]
    public void A_run_started_v1_reads_as_the_current_version_without_fingerprints()
    {
        const string v1 = """{"runId":"r1","workers":2,"sync":"gradients","seed":42,"epochs":60,"initialLearningRate":0.05,"parameterCount":4810,"configSha256":"sha","at":"2026-11-29T12:00:00+00:00"}""";
        var serializer = Sys.Serialization.FindSerializerForType(typeof(RunStarted));
        var back = Assert.IsType<RunStarted>(Sys.Serialization.Deserialize(System.Text.Encoding.UTF8.GetBytes(v1), serializer.Identifier, "run-started.v1"));
        Assert.Equal(("r1", 60, "sha"), (back.RunId, back.Epochs, back.ConfigSha256));
        Assert.Null(back.DataSha256);
        Assert.Null(back.Settings);
    }

    [Fact]
    public void A_ring_chunk_travels_as_raw_float_bytes()
    {
        var data = Enumerable.Range(0, 1000).Select(i => i * 0.5f - 7).ToArray();
        var chunk = new AllreduceMessages.RingChunk(42_000_017, 3, 2, data);
        var serializer = Sys.Serialization.FindSerializerFor(chunk);
        var bytes = serializer.ToBinary(chunk);

        Assert.Equal(16 + 4 * data.Length, bytes.Length);
        var back = (AllreduceMessages.RingChunk)Sys.Serialization.Deserialize(bytes, serializer.Identifier, "ring-chunk.v1");
        Assert.Equal((chunk.Round, chunk.Step, chunk.Chunk), (back.Round, back.Step, back.Chunk));
        Assert.Equal(data, back.Data);
    }

    [Fact]
    public void An_unknown_manifest_is_an_error_naming_it()
    {
        var serializer = (CoordinatorSerializer)Sys.Serialization.FindSerializerForType(typeof(WorkerCommands.StopEpoch));
        var e = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "no-such.v9"));
        Assert.Contains("no-such.v9", e.Message);
    }
}
