namespace Coordinator.Core.Model;

/// <summary>An MLP classifier: hidden layer sizes, their activation, and dropout after each.</summary>
public sealed record ModelSettings(IReadOnlyList<int> Hidden, Activation Activation = Activation.Relu, double Dropout = 0)
{
    public bool Equals(ModelSettings? other) =>
        other is not null && Hidden.SequenceEqual(other.Hidden) && Activation == other.Activation && Dropout.Equals(other.Dropout);

    public override int GetHashCode() => HashCode.Combine(Hidden.Count, Activation, Dropout);
}

public enum Activation
{
    Relu,
    Tanh,
    Gelu,
}
