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
        new WorkerCommands.RunEnded(20, RunStatus.Completed),
        new WorkerReports.RegisterWorker("node-2:4053/worker-0", 4810),
        new WorkerReports.RegisterWorker("node-2:4053/worker-0", 4810, "d474"),
        new WorkerCommands.RegistrationRejected("worker w was refused: its data file has SHA-256 a, the run's data has SHA-256 b"),
        new NodeMessages.Assignment("digits", "data { path = x.csv }", "/training/hocon", 2),
        new TransferMessages.ChunkAcked(3, 17),
        new TransferMessages.ChunkRejected(3, "size"),
        new WorkerReports.BatchTrained(1, 3, 14, 12.5, 32, 12),
        new WorkerReports.EpochTrained(1, 3, 23, [new("loss", 100.25, 720), new("accuracy", 700, 720), new("top_3_accuracy", 715, 720)],
            [new("loss", double.NaN, 180), new("accuracy", 170, 180)], 123456, "abcdef0123456789", 12),
        new WorkerReports.EpochAborted(3, 13),
        new WorkerReports.WeightsCaptured(7, [1, 2, 3]),
        new WorkerReports.TrainingStateCaptured(7, [4, 5]),
        new WorkerReports.TrainingStateHashed(7, "00ff"),
        new WorkerReports.TrainingStateLoaded(8, "abcd"),
        new WorkerReports.WeightsLoaded(8, "abcd"),
        new WorkerReports.Evaluated(9, [new("loss", 1, 3), new("accuracy", 2, 3)], []),
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
        new RunCompleted(RunStatus.Stopped, FinalMetrics.Of(0.1, 0.97, 0.12, 0.96), "/r/final.weights", "sha", 2048, 33.5),
        new RunCompleted(RunStatus.Completed, new FinalMetrics(new NamedValues([new("mae", 0.5), new("val_mae", double.PositiveInfinity)])), "final.weights", "sha", 1, 2),
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

    [Theory]
    [InlineData("completed", RunStatus.Completed)]
    [InlineData("stopped", RunStatus.Stopped)]
    public void A_run_completed_stores_its_status_as_the_lower_case_word_it_always_stored(string stored, RunStatus status)
    {
        var serializer = Sys.Serialization.FindSerializerForType(typeof(RunCompleted));
        var written = new RunCompleted(status, FinalMetrics.Of(0.1, 0.9, 0.2, 0.8), "final.weights", "sha", 10, 1.5);
        Assert.Contains($"\"status\":\"{stored}\"", System.Text.Encoding.UTF8.GetString(serializer.ToBinary(written)));

        // As an older build wrote it, when the status was a plain string.
        var old = $$"""{"status":"{{stored}}","final":{"loss":0.1,"accuracy":0.9,"valLoss":0.2,"valAccuracy":0.8},"finalModelPath":"final.weights","finalModelSha256":"sha","finalModelBytes":10,"wallSeconds":1.5}""";
        var back = Assert.IsType<RunCompleted>(Sys.Serialization.Deserialize(System.Text.Encoding.UTF8.GetBytes(old), serializer.Identifier, "run-completed.v1"));
        Assert.Equal(written, back);
    }

    [Fact]
    public void A_run_completed_v1_reads_with_its_four_fields_as_logs()
    {
        const string v1 = """{"status":"stopped","final":{"loss":0.1,"accuracy":0.97,"valLoss":"NaN","valAccuracy":0.96},"finalModelPath":"final.weights","finalModelSha256":"sha","finalModelBytes":2048,"wallSeconds":33.5}""";
        var serializer = Sys.Serialization.FindSerializerForType(typeof(RunCompleted));
        var back = Assert.IsType<RunCompleted>(Sys.Serialization.Deserialize(System.Text.Encoding.UTF8.GetBytes(v1), serializer.Identifier, "run-completed.v1"));
        Assert.Equal(["loss", "accuracy", "val_loss", "val_accuracy"], back.Final.Logs.Names());
        Assert.Equal((0.1, 0.97, 0.96), (back.Final.Loss, back.Final.Accuracy, back.Final.ValAccuracy));
        Assert.True(double.IsNaN(back.Final.ValLoss));
        Assert.Equal((RunStatus.Stopped, 2048L), (back.Status, back.FinalModelBytes));
    }

    [Fact]
    public void A_run_state_snapshot_v1_reads_its_final_metrics_as_logs()
    {
        var state = State.RunState.Empty.Apply(new RunCompleted(RunStatus.Completed, FinalMetrics.Of(0.5, 0.75, 0.25, 0.5), "final.weights", "sha", 1, 2));
        var serializer = Sys.Serialization.FindSerializerForType(typeof(State.RunState));
        // The v1 shape: the current JSON with final's fields named as RunCompleted v1 named them.
        var v1 = System.Text.Encoding.UTF8.GetString(serializer.ToBinary(state)).Replace("\"val_loss\"", "\"valLoss\"").Replace("\"val_accuracy\"", "\"valAccuracy\"");
        Assert.Contains("valLoss", v1);
        var back = Assert.IsType<State.RunState>(Sys.Serialization.Deserialize(System.Text.Encoding.UTF8.GetBytes(v1), serializer.Identifier, "run-state-snapshot.v1"));
        Assert.Equal(state.Completed!.Final, back.Completed!.Final);
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

    [Fact]
    public void Weights_and_states_travel_as_raw_bytes_behind_a_nine_byte_header()
    {
        var payload = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        foreach (var message in new object[]
                 {
                     new WorkerCommands.LoadWeights(8, payload), new WorkerCommands.LoadTrainingState(8, payload),
                     new WorkerReports.WeightsCaptured(7, payload), new WorkerReports.TrainingStateCaptured(7, payload),
                 })
        {
            var serializer = Sys.Serialization.FindSerializerFor(message);
            var bytes = serializer.ToBinary(message);
            Assert.Equal(9 + payload.Length, bytes.Length); // not base64 in JSON
            Assert.Equal(Text(message), Text(Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message))));
        }
    }

    [Fact]
    public void A_payload_chunk_keeps_its_actors_and_bytes()
    {
        var chunk = new TransferMessages.PayloadChunk(5, 2, 9, 123_456, "ab12", TestActor, null, 1701, "weights-captured.v2", [1, 2, 3, 250]);
        var serializer = Sys.Serialization.FindSerializerFor(chunk);
        var back = (TransferMessages.PayloadChunk)Sys.Serialization.Deserialize(serializer.ToBinary(chunk), serializer.Identifier,
            Akka.Serialization.Serialization.ManifestFor(serializer, chunk));
        Assert.Equal((5L, 2, 9, 123_456L, "ab12", 1701, "weights-captured.v2"),
            (back.TransferId, back.Index, back.Count, back.TotalBytes, back.Sha256, back.SerializerId, back.Manifest));
        Assert.Equal(TestActor, back.Target);
        Assert.Null(back.From);
        Assert.Equal(chunk.Data, back.Data);
    }
}
