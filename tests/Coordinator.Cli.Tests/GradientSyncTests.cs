using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Actors.Workers;
using Coordinator.Cli.Train;
using Coordinator.Core.Data;
using Coordinator.Core.Model;
using Coordinator.Core.Replicas;
using Coordinator.Core.Reporting;
using Coordinator.Training;
using Xunit.Abstractions;

using Coordinator.Actors.TestSupport;

namespace Coordinator.Cli.Tests;

/// <summary>
/// Gradient sync with the real TorchSharp model through the real actors (supervisor, workers, ring
/// allreduce; every message through the project's serializer): N workers with batch b train exactly
/// the weights one worker with batch N x b trains.
/// </summary>
public sealed class GradientSyncTests(ITestOutputHelper output) : TestKit(TestConfig.Create(), "gradient-sync", output)
{
    private const long Seed = 42;
    private const int Epochs = 2;
    private readonly TempFolder _temp = new();

    // digits.conf's data and split (the CLI's own preparation), with dropout 0 and plain SGD (momentum 0).
    private static readonly Lazy<PreparedRun> Digits = new(() => TrainConfig.Prepare(new TrainOptions(TestFiles.DigitsConf)));

    private static TorchReplicaFactory Factory(DataSplit data) =>
        new(data, new ModelSettings([128], Activation.Relu, Dropout: 0), new OptimizerSettings(OptimizerKind.Sgd, LearningRate: 0.05, Momentum: 0),
            Seed, TestTorch.Threads);

    [Theory]
    [InlineData(2, 16)] // 1438 samples: 45 steps of 32, the last one 30 = 15 + 15
    [InlineData(3, 16)] // 30 steps of 48, the last one 46 = 16 + 15 + 15: uneven shares, weighted by their sizes
    public void N_workers_with_batch_b_train_the_weights_of_one_worker_with_batch_N_times_b(int workers, int batchSize)
    {
        var data = Digits.Value.Data;
        Assert.True(Digits.Value.Settings.Data.Shuffle);
        Assert.Equal(1438, data.Train.Count);

        var many = Train($"many-{workers}", workers, batchSize, data);
        var one = Train($"one-{workers}", workers: 1, batchSize * workers, data);

        Assert.Equal(workers, many.Parameters.Count);
        var reference = Assert.Single(one.Parameters);

        // Every replica of the N-worker run is bitwise the same.
        Assert.All(many.Parameters, p => Assert.Equal(many.Parameters[0], p));

        var max = MaxAbsDifference(reference, many.Parameters[0]);
        Output!.WriteLine($"{reference.Length} parameters; max |1 worker - {workers} workers| = {max:E3}");
        Assert.True(max <= 1e-5, $"the {workers}-worker run's parameters differ from the 1-worker run's by up to {max:E3}");

        // The runs really trained, and the same way.
        Assert.True(one.Summary.History[^1].Loss < one.Summary.History[0].Loss);
        for (var e = 0; e < Epochs; e++)
        {
            Assert.Equal(one.Summary.History[e].Loss, many.Summary.History[e].Loss, 1e-4);
            Assert.Equal(one.Summary.History[e].ValLoss, many.Summary.History[e].ValLoss, 1e-4);
        }
        Assert.Equal(one.Summary.Final!.ValLoss, many.Summary.Final!.ValLoss, 1e-4);
    }

    private sealed record Trained(RunSummary Summary, IReadOnlyList<float[]> Parameters);

    private Trained Train(string name, int workers, int batchSize, DataSplit data)
    {
        var factory = new RecordingFactory(Factory(data));
        var folder = _temp.Combine(name);
        var setup = new WorkerSetup(0, data.Train.Count, data.Validation.Count, batchSize * workers, Seed, Shuffle: true, SyncMode.Gradients, 8);
        var settings = new SupervisorSettings(name, folder, workers, Epochs, setup.Plan(workers).StepsPerEpoch, [], 0.05, "gradients", Seed, "sha",
            TimeSpan.FromSeconds(60));
        var observer = CreateTestProbe();
        RunProgressSubscription.ForwardTo(Sys, name, observer);
        var supervisor = Sys.ActorOf(TrainingSupervisor.Props(settings, RunProgressPublisher.For(Sys, name)), $"supervisor-{name}");
        var group = Sys.ActorOf(WorkerGroup.Props(setup, Enumerable.Range(0, workers), factory, supervisor), $"workers-{name}");

        var warnings = new List<string>();
        var finished = (RunProgress.RunFinished)observer.FishForMessage(m =>
        {
            if (m is RunProgress.Warning w) warnings.Add(w.Message);
            return m is RunProgress.RunFinished;
        }, TimeSpan.FromSeconds(60));
        var summary = finished.Summary;
        Assert.True(summary.Status == RunStatus.Completed, $"{name}: {summary.Status} {summary.Error}");
        Assert.Equal(Epochs, summary.EpochsRun);
        Assert.Empty(warnings); // in particular no "the replicas differ after synchronisation"

        // The run is over: the workers stop and dispose their replicas, which records their parameters.
        AwaitCondition(() => factory.Made.Count == workers, TimeSpan.FromSeconds(20));
        var parameters = Enumerable.Range(0, workers).Select(w => factory.Made[w]).ToList();

        // final.weights (written by worker 0) holds exactly these parameters.
        var loaded = factory.Inner.CreateReplica(0);
        try
        {
            using (var file = File.OpenRead(Path.Combine(folder, "final.weights"))) loaded.LoadWeights(file);
            Assert.Equal(parameters[0], Read(loaded));
        }
        finally
        {
            loaded.Dispose();
        }

        // Stop the run's actors; each worker disposes its replica on its own thread.
        Watch(group);
        Sys.Stop(group);
        ExpectTerminated(group, TimeSpan.FromSeconds(20));
        Sys.Stop(supervisor);
        return new Trained(summary, parameters);
    }

    private static float[] Read(IReplica replica)
    {
        var values = new float[replica.ParameterCount];
        replica.ReadParameters(values);
        return values;
    }

    private static double MaxAbsDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _temp.Dispose();
    }

    /// <summary>Builds real replicas and keeps them, so the test can read their parameters after the run.</summary>
    /// <summary>Builds the workers' replicas and keeps each one's last parameters (read on its own
    /// thread as the worker disposes it when the run ends).</summary>
    private sealed class RecordingFactory(TorchReplicaFactory inner) : IReplicaFactory
    {
        public TorchReplicaFactory Inner => inner;

        public ConcurrentDictionary<int, float[]> Made { get; } = new();

        public IReplica Create(int worker) => new Recorded(inner.CreateReplica(worker), p => Made[worker] = p);

        public IReadOnlyList<Core.Metrics.MetricDefinition> Metrics => inner.Metrics;

        private sealed class Recorded(TorchReplica replica, Action<float[]> keep) : IReplica
        {
            public int ParameterCount => replica.ParameterCount;
            public void BeginEpoch(int epoch) => replica.BeginEpoch(epoch);
            public BatchResult ComputeGradients(ReadOnlySpan<int> trainIndices) => replica.ComputeGradients(trainIndices);
            public void ReadGradients(Span<float> destination) => replica.ReadGradients(destination);
            public void ApplyGradients(ReadOnlySpan<float> gradient, double learningRate) => replica.ApplyGradients(gradient, learningRate);
            public void Step(double learningRate) => replica.Step(learningRate);
            public void ReadParameters(Span<float> destination) => replica.ReadParameters(destination);
            public void WriteParameters(ReadOnlySpan<float> source) => replica.WriteParameters(source);
            public BatchResult Evaluate(ReadOnlySpan<int> indices, bool validation) => replica.Evaluate(indices, validation);
            public void SaveWeights(Stream destination) => replica.SaveWeights(destination);
            public void LoadWeights(Stream source) => replica.LoadWeights(source);
            public void SaveTrainingState(Stream destination) => replica.SaveTrainingState(destination);
            public void LoadTrainingState(Stream source) => replica.LoadTrainingState(source);

            public void Dispose()
            {
                keep(Read(replica));
                replica.Dispose();
            }
        }
    }
}
