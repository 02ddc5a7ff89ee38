using System.Text.Json.Serialization;
using Coordinator.Core.Reporting;

namespace Coordinator.Actors.Protocol;

/// <summary>
/// What the supervisor publishes as the run goes, as data: on the ActorSystem's event stream and, in a
/// cluster, on the run's DistributedPubSub topic (<see cref="Progress.RunProgressPublisher"/>). Subscribers
/// (the console, the run-folder writers, a test, a web page) put it in words.
/// </summary>
public static class RunProgress
{
    /// <summary>Every progress message names its run: one ActorSystem may hold several runs, so subscribers to
    /// the event stream keep theirs. The publisher sets it.</summary>
    public abstract record Update : ICoordinatorMessage
    {
        public string RunId { get; init; } = "";
    }

    /// <summary>Training begins (a new run, or a resumed one after its state was checked) with these members, in ring order.</summary>
    public sealed record RunBegan(int Epochs, int StepsPerEpoch, IReadOnlyList<string> Members, bool Resumed) : Update;

    public sealed record EpochBegan(int Epoch, int Epochs, int Steps, double LearningRate) : Update;

    /// <summary>
    /// The running mean loss after each of the steps <paramref name="FirstStep"/>, <paramref name="FirstStep"/> + 1, ...
    /// of an epoch: every step is reported, several to a message, at a bounded rate (<see cref="Progress.StepReports"/>).
    /// </summary>
    public sealed record StepsReported(int Epoch, int FirstStep, IReadOnlyList<double> RunningLosses) : Update
    {
        /// <summary>Each step (0-based in the epoch) with its running loss.</summary>
        [JsonIgnore]
        public IEnumerable<(int Step, double RunningLoss)> Steps => RunningLosses.Select((loss, i) => (FirstStep + i, loss));

        [JsonIgnore]
        public int LastStep => FirstStep + RunningLosses.Count - 1;
    }

    /// <summary>An epoch's aggregated logs and what the callbacks decided during it, in the order they decided.</summary>
    public sealed record EpochSummarized(
        int Epoch, IReadOnlyDictionary<string, double> Logs, double Seconds, IReadOnlyList<EpochDecision> Decisions) : Update;

    /// <summary>A worker registered mid-run; it joins at the next epoch boundary.</summary>
    public sealed record WorkerWaiting(string Worker) : Update;

    /// <summary>Membership changed: <paramref name="Worker"/> joined or was lost (<see cref="MemberChange"/>); the members
    /// from then on, in ring order; <paramref name="Epoch"/> is the epoch the change concerns (0-based).</summary>
    public sealed record MembersChanged(MemberChange Change, string Worker, int Epoch, IReadOnlyList<string> Members, string? Reason)
        : Update;

    /// <summary>A member was lost mid-epoch and the epoch starts again with the others.</summary>
    public sealed record EpochRestarting(int Epoch, int Members, int Restart, int MaxRestarts) : Update;

    /// <summary>Something went wrong that the run survives; <paramref name="Source"/> names the callback for a callback's warning.</summary>
    public sealed record Warning(string Message, string? Source = null) : Update;

    /// <summary>The supervisor has recovered its state: from a snapshot (at a sequence number, or 0
    /// for none) plus the events after it.</summary>
    public sealed record Recovered(long SnapshotSequenceNr, long LastSequenceNr, int Epochs) : Update;

    /// <summary>The run could not be recovered from its journal (the journal or snapshot store did not start,
    /// or the stored events could not be read back): nothing was decided or written; the run ends here.</summary>
    public sealed record RecoveryFailed(string Reason) : Update;

    /// <summary>Something worth a line that is not a problem (e.g. where a resumed run continues).</summary>
    public sealed record Note(string Message) : Update;

    /// <summary>The run is over; the summary says how it ended, and every epoch's logs (all of
    /// them, also those trained by an earlier process of a resumed run) feed history.csv.</summary>
    public sealed record RunFinished(RunSummary Summary, IReadOnlyList<EpochLog> Epochs) : Update;

    public sealed record EpochLog(int Epoch, IReadOnlyDictionary<string, double> Logs);
}

/// <summary>How membership changed (<see cref="RunProgress.MembersChanged"/>).</summary>
public enum MemberChange
{
    /// <summary>A waiting worker loaded the members' state and trains from the epoch.</summary>
    Joined,
    /// <summary>A member was lost while it trained the epoch.</summary>
    LostDuringEpoch,
    /// <summary>A member was lost between epochs (files, loading, evaluating); the next epoch re-splits.</summary>
    LostBetweenEpochs,
    /// <summary>A waiting worker was lost before it joined: the members are unchanged.</summary>
    LostBeforeJoining,
}
