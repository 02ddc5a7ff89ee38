namespace Coordinator.Core.Data;

/// <summary>
/// A tabular classification set in memory: <see cref="Features"/> row-major
/// (<see cref="Count"/> x <see cref="FeatureCount"/>), labels 0..ClassCount-1.
/// </summary>
public sealed record Dataset(string Name, float[] Features, int[] Labels, int FeatureCount, int ClassCount)
{
    public int Count => Labels.Length;

    public ReadOnlySpan<float> Row(int i) => Features.AsSpan(i * FeatureCount, FeatureCount);

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public Dataset Select(IReadOnlyList<int> indices, string? name = null)
    {
        var features = new float[indices.Count * FeatureCount];
        var labels = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            Row(indices[i]).CopyTo(features.AsSpan(i * FeatureCount, FeatureCount));
            labels[i] = Labels[indices[i]];
        }
        return new Dataset(name ?? Name, features, labels, FeatureCount, ClassCount);
    }
}

/// <summary>The training and validation parts of a data set.</summary>
public sealed record DataSplit(Dataset Train, Dataset Validation);
