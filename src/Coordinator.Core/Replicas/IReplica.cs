using Coordinator.Core.Metrics;

namespace Coordinator.Core.Replicas;

/// <summary>
/// One worker's copy of the model and its optimizer: the port through which workers train
/// without knowing the tensor library. A replica is created, used and disposed on one thread
/// (TorchSharp's dispose scopes are per thread).
/// </summary>
public interface IReplica : IDisposable
{
    /// <summary>Number of float32 values in the flat parameter (and gradient) vector.</summary>
    int ParameterCount { get; }

    /// <summary>The epoch the following <see cref="ComputeGradients"/> calls belong to: what a sample's dropout
    /// mask depends on, besides the sample (as a sampler's <c>set_epoch</c> in PyTorch).</summary>
    void BeginEpoch(int epoch);

    /// <summary>Forward and backward on these training samples (indices into the training set);
    /// keeps the gradient of the batch's mean loss. An empty batch leaves a zero gradient.</summary>
    BatchResult ComputeGradients(ReadOnlySpan<int> trainIndices);

    /// <summary>Copies the kept gradient into <paramref name="destination"/> (length <see cref="ParameterCount"/>).</summary>
    void ReadGradients(Span<float> destination);

    /// <summary>Makes <paramref name="gradient"/> the gradient and takes one optimizer step at <paramref name="learningRate"/>.</summary>
    void ApplyGradients(ReadOnlySpan<float> gradient, double learningRate);

    /// <summary>One optimizer step with the replica's own kept gradient (local SGD).</summary>
    void Step(double learningRate);

    void ReadParameters(Span<float> destination);

    void WriteParameters(ReadOnlySpan<float> source);

    /// <summary>The metrics' sums on samples of the training or validation set, in eval mode (named without
    /// <c>val_</c>: the supervisor prefixes validation logs).</summary>
    BatchResult Evaluate(ReadOnlySpan<int> indices, bool validation);

    /// <summary>Writes the weights in the tensor library's own format (<c>Module.load</c> reads them).</summary>
    void SaveWeights(Stream destination);

    void LoadWeights(Stream source);

    /// <summary>Writes everything a resumed run needs to continue exactly: weights, optimizer state
    /// (momentum, Adam's moments and step) and any random generator state.</summary>
    void SaveTrainingState(Stream destination);

    void LoadTrainingState(Stream source);
}

/// <summary>A batch's (or an evaluation's) sample count and each metric's sum over its samples, <c>loss</c>
/// first; <c>default</c> is an empty batch (no samples, no metrics).</summary>
public readonly record struct BatchResult(int Count, IReadOnlyList<MetricSum>? Sums)
{
    /// <summary>The metrics' sums (none for an empty batch).</summary>
    public IReadOnlyList<MetricSum> Metrics => Sums ?? [];

    // Compared by content: two evaluations of the same samples by the same weights are equal.
    public bool Equals(BatchResult other) => Count == other.Count && Metrics.SequenceEqual(other.Metrics);

    public override int GetHashCode() => HashCode.Combine(Count, Metrics.Count);

    /// <summary>The sum reported for <paramref name="name"/> (0 when the batch has none).</summary>
    public double Sum(string name)
    {
        foreach (var m in Metrics)
            if (m.Name == name) return m.Sum;
        return 0;
    }
}

/// <summary>Builds replicas; called on each worker's own training thread.</summary>
public interface IReplicaFactory
{
    IReplica Create(int worker);

    /// <summary>The metrics every replica reports, in order, with their directions (the run's logs are these,
    /// the same with <c>val_</c>, and <c>learning_rate</c>).</summary>
    IReadOnlyList<MetricDefinition> Metrics { get; }
}
