namespace Coordinator.Cli.Train;

/// <summary>
/// The <c>train</c> verb's arguments: a configuration (the flags override it) for a new run, or
/// <see cref="Resume"/>, the folder of an unfinished run to continue. <see cref="Sets"/> are the
/// <c>--set key=value</c> overrides, applied on top of the file (the other flags on top of them).
/// </summary>
public sealed record TrainOptions(
    string? ConfigPath, int? Workers = null, int? Epochs = null, long? Seed = null, string? RunDir = null, string? Resume = null,
    IReadOnlyList<string>? Sets = null);
