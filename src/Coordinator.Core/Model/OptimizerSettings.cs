namespace Coordinator.Core.Model;

/// <summary>The optimizer; its learning rate is set by the supervisor every epoch.</summary>
public sealed record OptimizerSettings(
    OptimizerKind Kind = OptimizerKind.Sgd,
    double LearningRate = 0.01,
    double Momentum = 0,
    bool Nesterov = false,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Epsilon = 1e-7,
    double WeightDecay = 0)
{
    /// <summary>The rate when the configuration gives none: Keras's defaults (SGD 0.01, Adam 0.001).</summary>
    public static double DefaultLearningRate(OptimizerKind kind) => kind == OptimizerKind.Adam ? 0.001 : 0.01;
}

public enum OptimizerKind
{
    Sgd,
    Adam,
}
