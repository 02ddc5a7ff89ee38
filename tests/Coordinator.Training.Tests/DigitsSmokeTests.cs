using System.Diagnostics;
using Coordinator.Core.Data;
using Coordinator.Core.Model;
using Coordinator.Core.Replicas;
using Xunit.Abstractions;
using static Coordinator.Training.Tests.TestTorch;

namespace Coordinator.Training.Tests;

public sealed class DigitsSmokeTests(ITestOutputHelper output)
{
    private static readonly string DigitsPath = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    [Fact]
    public void An_mlp_trained_five_epochs_on_digits_exceeds_90_percent_validation_accuracy()
    {
        Dataset all = TabularCsvLoader.Load(DigitsPath, new CsvFormat(HeaderLines: 0, Scale: 16));
        Assert.Equal((1797, 64, 10), (all.Count, all.FeatureCount, all.ClassCount));
        DataSplit data = DataSplitter.Split(all, 0.2, seed: 42);
        var factory = new TorchReplicaFactory(
            data,
            new ModelSettings([64], Activation.Relu),
            new OptimizerSettings(OptimizerKind.Sgd, LearningRate: 0.05, Momentum: 0.9),
            seed: 42,
            threads: Threads);
        using TorchReplica replica = factory.CreateReplica(0);
        var plan = new ShardPlan(data.Train.Count, globalBatch: 32, workers: 1, seed: 42);
        int[] validation = ShardPlan.Slice(data.Validation.Count, worker: 0, workers: 1);

        var clock = Stopwatch.StartNew();
        double before = Accuracy(replica.Evaluate(validation, validation: true));
        for (int epoch = 1; epoch <= 5; epoch++)
        {
            int[] order = plan.EpochOrder(epoch);
            double lossSum = 0;
            for (int step = 0; step < plan.StepsPerEpoch; step++)
            {
                lossSum += replica.ComputeGradients(plan.Batch(order, step, worker: 0)).LossSum;
                replica.Step(0.05);
            }

            BatchResult result = replica.Evaluate(validation, validation: true);
            output.WriteLine($"epoch {epoch}: train loss {lossSum / data.Train.Count:F4}, validation loss {result.LossSum / result.Count:F4}, accuracy {Accuracy(result):P1}");
        }

        double accuracy = Accuracy(replica.Evaluate(validation, validation: true));
        output.WriteLine($"accuracy {before:P1} -> {accuracy:P1} in {clock.ElapsedMilliseconds} ms");
        Assert.True(accuracy > 0.9, $"validation accuracy {accuracy:P1}");
        Assert.True(before < 0.5, $"an untrained model should not already score {before:P1}");
    }

    [Fact]
    public void Step_time_of_a_64_64_10_mlp_at_batch_32()
    {
        Dataset all = TabularCsvLoader.Load(DigitsPath, new CsvFormat(HeaderLines: 0, Scale: 16));
        DataSplit data = DataSplitter.Split(all, 0.2, seed: 42);
        var factory = new TorchReplicaFactory(data, new ModelSettings([64]), new OptimizerSettings(Momentum: 0.9), seed: 1, threads: Threads);
        using TorchReplica replica = factory.CreateReplica(0);
        var plan = new ShardPlan(data.Train.Count, globalBatch: 32, workers: 1, seed: 1);
        int[] order = plan.EpochOrder(1);
        var gradient = new float[replica.ParameterCount];
        var parameters = new float[replica.ParameterCount];

        double Measure(int steps, Action<int> body)
        {
            for (int i = 0; i < 50; i++)
            {
                body(i); // warm-up
            }

            var clock = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++)
            {
                body(i);
            }

            return clock.Elapsed.TotalMicroseconds / steps;
        }

        int[] Batch(int i) => plan.Batch(order, i % plan.StepsPerEpoch, 0);
        double local = Measure(1000, i =>
        {
            replica.ComputeGradients(Batch(i));
            replica.Step(0.01);
        });
        double synced = Measure(1000, i =>
        {
            replica.ComputeGradients(Batch(i));
            replica.ReadGradients(gradient);
            replica.ApplyGradients(gradient, 0.01);
        });
        double forwardBackward = Measure(1000, i => replica.ComputeGradients(Batch(i)));
        double copies = Measure(2000, _ =>
        {
            replica.ReadGradients(gradient);
            replica.ReadParameters(parameters);
            replica.WriteParameters(parameters);
        });

        output.WriteLine($"{replica.ParameterCount} parameters, {Threads} intra-op thread(s)");
        output.WriteLine($"ComputeGradients + Step:                         {local,8:F1} us");
        output.WriteLine($"ComputeGradients + ReadGradients + ApplyGradients: {synced,8:F1} us");
        output.WriteLine($"ComputeGradients alone:                          {forwardBackward,8:F1} us");
        output.WriteLine($"ReadGradients + ReadParameters + WriteParameters:  {copies,8:F1} us");
        Assert.True(synced < 20_000, $"a step took {synced} us"); // generous: catches pathological regressions only
    }

    private static double Accuracy(BatchResult result) => (double)result.Correct / result.Count;
}
