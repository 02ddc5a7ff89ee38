using Coordinator.Core.Model;
using static Coordinator.Training.Tests.TestTorch;

namespace Coordinator.Training.Tests;

/// <summary>Each optimizer's steps against the update rules written out in double precision, with a
/// different learning rate every step.</summary>
public sealed class TorchReplicaOptimizerTests
{
    private static readonly double[] Rates = [0.1, 0.03, 0.2, 0.05];

    [Theory]
    [InlineData(0.0, false, 0.0)]
    [InlineData(0.9, false, 0.0)]
    [InlineData(0.9, true, 0.01)]
    [InlineData(0.5, false, 0.1)]
    public void Sgd_follows_torch_update_rule(double momentum, bool nesterov, double weightDecay)
    {
        var settings = new OptimizerSettings(OptimizerKind.Sgd, LearningRate: 1, Momentum: momentum, Nesterov: nesterov, WeightDecay: weightDecay);
        Run(settings, (p, g, lr, t, state) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                double d = g[i] + (weightDecay * p[i]);
                if (momentum != 0)
                {
                    state[0][i] = t == 1 ? d : (momentum * state[0][i]) + d;
                    d = nesterov ? d + (momentum * state[0][i]) : state[0][i];
                }

                p[i] -= lr * d;
            }
        });
    }

    [Theory]
    [InlineData(0.9, 0.999, 1e-7, 0.0)]
    [InlineData(0.8, 0.99, 1e-3, 0.05)]
    public void Adam_follows_torch_update_rule(double beta1, double beta2, double epsilon, double weightDecay)
    {
        var settings = new OptimizerSettings(OptimizerKind.Adam, LearningRate: 1, Beta1: beta1, Beta2: beta2, Epsilon: epsilon, WeightDecay: weightDecay);
        Run(settings, (p, g, lr, t, state) =>
        {
            double correction1 = 1 - Math.Pow(beta1, t);
            double correction2 = 1 - Math.Pow(beta2, t);
            for (int i = 0; i < p.Length; i++)
            {
                double d = g[i] + (weightDecay * p[i]);
                state[0][i] = (beta1 * state[0][i]) + ((1 - beta1) * d);
                state[1][i] = (beta2 * state[1][i]) + ((1 - beta2) * d * d);
                double denominator = (Math.Sqrt(state[1][i]) / Math.Sqrt(correction2)) + epsilon;
                p[i] -= lr / correction1 * state[0][i] / denominator;
            }
        });
    }

    [Fact]
    public void Settings_the_optimizers_reject_are_reported_when_the_factory_is_built()
    {
        var data = Blobs(40, 3, 2, seed: 1);
        Assert.Throws<ArgumentException>(() => Factory(data, new OptimizerSettings(Nesterov: true, Momentum: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Factory(data, new OptimizerSettings(Momentum: -0.1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Factory(data, new OptimizerSettings(OptimizerKind.Adam, Beta2: 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Factory(data, new OptimizerSettings(WeightDecay: double.NaN)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Factory(data, new OptimizerSettings(), dropout: 1.0));
    }

    private delegate void Rule(double[] parameters, float[] gradient, double learningRate, int step, double[][] state);

    private static void Run(OptimizerSettings settings, Rule rule)
    {
        TorchReplicaFactory factory = Factory(Blobs(60, 4, 3, seed: 2), settings, hidden: [5]);
        using TorchReplica replica = factory.CreateReplica(0);
        double[] expected = Parameters(replica).Select(v => (double)v).ToArray();
        double[][] state = [new double[expected.Length], new double[expected.Length]];
        var random = new Random(17);
        for (int t = 1; t <= Rates.Length; t++)
        {
            float[] gradient = Enumerable.Range(0, expected.Length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            replica.ApplyGradients(gradient, Rates[t - 1]);
            rule(expected, gradient, Rates[t - 1], t, state);

            float[] actual = Parameters(replica);
            double error = 0;
            for (int i = 0; i < actual.Length; i++)
            {
                error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
            }

            Assert.True(error < 2e-5, $"step {t}: off the update rule by {error}");
        }
    }
}
