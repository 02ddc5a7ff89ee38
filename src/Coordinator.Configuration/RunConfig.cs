using Coordinator.Callbacks;
using Coordinator.Core;

namespace Coordinator.Configuration;

/// <summary>A run's configuration file, read and checked: settings, callbacks, and the text itself.</summary>
public sealed record RunConfig(RunSettings Settings, IReadOnlyList<CallbackSettings> Callbacks, string Text, string Sha256, string? AkkaOverrides);
