using Coordinator.Core.Reporting;

namespace Coordinator.Actors.Protocol;

/// <summary>What the supervisor tells the run's observer (the console, a test) as the run goes.</summary>
public static class RunProgress
{
    public sealed record EpochBegan(int Epoch, int Epochs, int Steps, double LearningRate) : ICoordinatorMessage;

    public sealed record BatchProgress(int Epoch, int Step, double RunningLoss) : ICoordinatorMessage;

    /// <summary>An epoch's aggregated logs and what the callbacks decided, in words.</summary>
    public sealed record EpochSummarized(
        int Epoch, IReadOnlyDictionary<string, double> Logs, double Seconds, IReadOnlyList<string> Notes) : ICoordinatorMessage;

    public sealed record Warning(string Message) : ICoordinatorMessage;

    /// <summary>The supervisor has recovered its state: from a snapshot (at a sequence number, or 0
    /// for none) plus the events after it.</summary>
    public sealed record Recovered(long SnapshotSequenceNr, long LastSequenceNr, int Epochs) : ICoordinatorMessage;

    /// <summary>The run could not be recovered from its journal (the journal or snapshot store did not start,
    /// or the stored events could not be read back): nothing was decided or written; the run ends here.</summary>
    public sealed record RecoveryFailed(string Reason) : ICoordinatorMessage;

    /// <summary>Something worth a line that is not a problem (e.g. where a resumed run continues).</summary>
    public sealed record Note(string Message) : ICoordinatorMessage;

    /// <summary>The run is over; the summary says how it ended, and every epoch's logs (all of
    /// them, also those trained by an earlier process of a resumed run) feed history.csv.</summary>
    public sealed record RunFinished(RunSummary Summary, IReadOnlyList<EpochLog> Epochs) : ICoordinatorMessage;

    public sealed record EpochLog(int Epoch, IReadOnlyDictionary<string, double> Logs);
}
