using Coordinator.Core.Metrics;
using Coordinator.Core.Replicas;

namespace Coordinator.Actors.TestSupport;

/// <summary>
/// A real, tiny model in plain C# for actor tests: y = w.x + b fitted by mean squared error on a
/// fixed synthetic set, with plain SGD. "Correct" means within 0.5 of the target. Deterministic.
/// </summary>
public sealed class LinearReplica(int features, Func<int, int, double>? lossOverride = null) : IReplica
{
    private readonly float[] _parameters = new float[features + 1];
    private readonly float[] _gradient = new float[features + 1];
    private int _epochStep;

    public static float X(int sample, int feature) => ((sample * 7 + feature * 3) % 11) / 10f;

    public float Y(int sample) => Enumerable.Range(0, features).Sum(f => (f + 1) * X(sample, f)) + 0.5f;

    public int ParameterCount => _parameters.Length;

    public IReadOnlyList<float> Parameters => _parameters;

    public void BeginEpoch(int epoch)
    {
    }

    public BatchResult ComputeGradients(ReadOnlySpan<int> trainIndices)
    {
        Array.Clear(_gradient);
        double lossSum = 0;
        var correct = 0;
        foreach (var i in trainIndices)
        {
            var error = Predict(i) - Y(i);
            lossSum += error * error;
            if (Math.Abs(error) < 0.5) correct++;
            for (var f = 0; f < features; f++) _gradient[f] += 2 * error * X(i, f);
            _gradient[features] += 2 * error;
        }
        if (trainIndices.Length > 0)
            for (var p = 0; p < _gradient.Length; p++) _gradient[p] /= trainIndices.Length;
        var step = _epochStep++;
        if (lossOverride is not null) lossSum = lossOverride(step, trainIndices.Length) * trainIndices.Length;
        return Result(trainIndices.Length, lossSum, correct);
    }

    public void ReadGradients(Span<float> destination) => _gradient.CopyTo(destination);

    public void ApplyGradients(ReadOnlySpan<float> gradient, double learningRate)
    {
        for (var p = 0; p < _parameters.Length; p++) _parameters[p] -= (float)(learningRate * gradient[p]);
    }

    public void Step(double learningRate) => ApplyGradients(_gradient, learningRate);

    public void ReadParameters(Span<float> destination) => _parameters.CopyTo(destination);

    public void WriteParameters(ReadOnlySpan<float> source) => source.CopyTo(_parameters);

    public BatchResult Evaluate(ReadOnlySpan<int> indices, bool validation)
    {
        double lossSum = 0;
        var correct = 0;
        foreach (var i in indices)
        {
            var sample = validation ? 10_000 + i : i;
            var error = Predict(sample) - Y(sample);
            lossSum += error * error;
            if (Math.Abs(error) < 0.5) correct++;
        }
        return Result(indices.Length, lossSum, correct);
    }

    /// <summary>The squared error as the loss, and "accuracy": the share of predictions within 0.5 of the target.</summary>
    public static readonly IReadOnlyList<MetricDefinition> Metrics = [MetricDefinition.Loss, MetricDefinition.Accuracy];

    private static BatchResult Result(int count, double lossSum, int correct) =>
        new(count, [new MetricSum("loss", lossSum, count), new MetricSum("accuracy", correct, count)]);

    /// <summary>The prediction for a training sample (validation samples are numbered from 10,000).</summary>
    public float Prediction(int sample) => Predict(sample);

    public void SaveWeights(Stream destination)
    {
        using var writer = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        foreach (var p in _parameters) writer.Write(p);
    }

    public void LoadWeights(Stream source)
    {
        using var reader = new BinaryReader(source);
        for (var p = 0; p < _parameters.Length; p++) _parameters[p] = reader.ReadSingle();
    }

    // Plain SGD has no optimizer state; the step counter drives the scripted losses, so it is state too.
    public void SaveTrainingState(Stream destination)
    {
        SaveWeights(destination);
        using var writer = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(_epochStep);
    }

    public void LoadTrainingState(Stream source)
    {
        using var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
        for (var p = 0; p < _parameters.Length; p++) _parameters[p] = reader.ReadSingle();
        _epochStep = reader.ReadInt32();
    }

    public void Dispose() { }

    private float Predict(int sample)
    {
        var y = _parameters[features];
        for (var f = 0; f < features; f++) y += _parameters[f] * X(sample, f);
        return y;
    }
}

/// <summary>Builds <see cref="LinearReplica"/>s and keeps them so tests can compare replicas.</summary>
public sealed class LinearReplicaFactory(int features, Func<int, int, int, double>? loss = null) : IReplicaFactory
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, LinearReplica> _made = new();

    public IReadOnlyDictionary<int, LinearReplica> Made => _made;

    public IReplica Create(int worker) =>
        _made[worker] = new LinearReplica(features, loss is null ? null : (step, n) => loss(worker, step, n));

    public IReadOnlyList<MetricDefinition> Metrics => LinearReplica.Metrics;
}
