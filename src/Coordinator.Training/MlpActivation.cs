namespace Coordinator.Training;

/// <summary>Hidden-layer non-linearity of an <see cref="Mlp"/>.</summary>
public enum MlpActivation
{
    Relu,
    Tanh,
    Gelu,
}
