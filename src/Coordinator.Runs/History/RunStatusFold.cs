using Coordinator.Actors.State;
using Coordinator.Core.Reporting;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.History;

/// <summary>A run's state and status from its events (pure).</summary>
public static class RunStatusFold
{
    /// <summary><see cref="RunState"/>'s own fold, skipping events it does not know (an
    /// <see cref="UnrecognizedEvent"/>, or a newer event type).</summary>
    public static RunState State(IEnumerable<IRunEvent> events)
    {
        var state = RunState.Empty;
        foreach (var e in events)
        {
            if (e is UnrecognizedEvent) continue;
            try
            {
                state = state.Apply(e);
            }
            catch (ArgumentOutOfRangeException)
            {
                // an event type RunState does not fold: it does not change the status
            }
        }
        return state;
    }

    /// <summary>failed (a RunFailed not followed by a resume), stopped or completed (RunCompleted;
    /// stopped when a callback stopped training), else unfinished.</summary>
    public static RunStatus Status(RunState state) =>
        state.Failed is not null ? RunStatus.Failed
        : state.Completed is { } done ? (done.Status == RunStatus.Stopped || state.Stop is not null ? RunStatus.Stopped : RunStatus.Completed)
        : RunStatus.Unfinished;
}
