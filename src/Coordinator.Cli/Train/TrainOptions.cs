namespace Coordinator.Cli.Train;

/// <summary>The <c>train</c> verb's arguments; the flags override the configuration file.</summary>
public sealed record TrainOptions(string ConfigPath, int? Workers = null, int? Epochs = null, long? Seed = null, string? RunDir = null);
