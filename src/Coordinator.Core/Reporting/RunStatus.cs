using System.Text.Json.Serialization;

namespace Coordinator.Core.Reporting;

/// <summary>
/// How a run stands: the one status type of summary.json, the <c>RunCompleted</c> event, <c>history</c>,
/// <c>runs</c> and the Testing library. Written everywhere as its lower-case name (<see cref="RunStatusNames"/>),
/// as the event has always stored it, so old journals read as they did.
/// </summary>
[JsonConverter(typeof(RunStatusConverter))]
public enum RunStatus
{
    Completed,
    /// <summary>A callback stopped training (EarlyStopping, TerminateOnNaN): the run still ended properly.</summary>
    Stopped,
    Failed,
    /// <summary>No RunCompleted or RunFailed (yet): still running, or the process ended without finishing.</summary>
    Unfinished,
    /// <summary>The journal could not be read (a run listing's status; never recorded).</summary>
    Unreadable,
}

/// <summary>The names a <see cref="RunStatus"/> is written and read as: completed, stopped, failed, unfinished, unreadable.</summary>
public static class RunStatusNames
{
    public static string Name(this RunStatus status) => status switch
    {
        RunStatus.Completed => "completed",
        RunStatus.Stopped => "stopped",
        RunStatus.Failed => "failed",
        RunStatus.Unfinished => "unfinished",
        RunStatus.Unreadable => "unreadable",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown run status"),
    };

    /// <summary>The status a name stands for; null when it is none of them.</summary>
    public static RunStatus? Parse(string? name) =>
        Enum.GetValues<RunStatus>().Cast<RunStatus?>().FirstOrDefault(s => s!.Value.Name() == name);
}
