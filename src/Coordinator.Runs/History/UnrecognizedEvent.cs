using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.History;

/// <summary>
/// A journal entry this build cannot decode: a manifest it does not know (written by a newer
/// coordinator), a payload that does not parse, or something not written by the coordinator's
/// serializer. The history shows it and goes on; folds (<see cref="RunStatusFold"/>) skip it.
/// </summary>
public sealed record UnrecognizedEvent(string Manifest, string Problem) : IRunEvent;
