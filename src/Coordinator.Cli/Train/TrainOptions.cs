namespace Coordinator.Cli.Train;

/// <summary>
/// The <c>train</c> verb's arguments: a configuration (the flags override it) for a new run, or
/// <see cref="Resume"/>, the folder of an unfinished run to continue.
/// </summary>
public sealed record TrainOptions(
    string? ConfigPath, int? Workers = null, int? Epochs = null, long? Seed = null, string? RunDir = null, string? Resume = null);
