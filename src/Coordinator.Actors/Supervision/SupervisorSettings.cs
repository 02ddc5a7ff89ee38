using Coordinator.Actors.State;
using Coordinator.Callbacks;
using Coordinator.Core;
using Coordinator.Callbacks.Monitoring;
using Coordinator.Core.Metrics;

namespace Coordinator.Actors.Supervision;

/// <summary>What the supervisor needs to run a training: fixed for the run's lifetime.</summary>
/// <param name="RunFolder">Absolute folder for checkpoints and the final model.</param>
/// <param name="StepsPerEpoch">Steps every worker runs per epoch (for progress).</param>
/// <param name="SnapshotEvery">Save a snapshot of the supervisor's state every this many events.</param>
/// <param name="KeepResumeStates">How many epochs' resume states to keep on disk.</param>
public sealed record SupervisorSettings(
    string RunId,
    string RunFolder,
    int Workers,
    int Epochs,
    int StepsPerEpoch,
    IReadOnlyList<CallbackSettings> Callbacks,
    double InitialLearningRate,
    string Sync,
    long Seed,
    string ConfigSha256,
    TimeSpan EpochTimeout,
    int SnapshotEvery = 100,
    int KeepResumeStates = 2)
{
    /// <summary>Elastic membership (the run's <c>TrainingSettings.Membership</c>). Default: exactly
    /// <see cref="Workers"/> workers, no restart.</summary>
    public MembershipLimits Membership { get; init; } = MembershipLimits.Fixed(Workers);

    /// <summary>Fewest workers the run trains with (<see cref="Membership"/>).</summary>
    public int MinWorkers => Membership.MinWorkers;

    /// <summary>Most workers the run takes, members and joiners (<see cref="Membership"/>).</summary>
    public int MaxWorkers => Membership.MaxWorkers;

    /// <summary>Epoch restarts after lost workers before the run fails (<see cref="Membership"/>).</summary>
    public int MaxRestarts => Membership.MaxRestarts;

    /// <summary>SHA-256 of the data file the run trains on (recorded in <c>RunStarted</c>; null: not known).</summary>
    public string? DataSha256 { get; init; }

    /// <summary>Every setting of the run's configuration as <c>key = value</c> (recorded in <c>RunStarted</c>,
    /// so that a resume can name the setting that changed; null: not known).</summary>
    public IReadOnlyDictionary<string, string>? ConfigSettings { get; init; }

    /// <summary>This process was started to set the run's epoch limit to <see cref="Epochs"/>
    /// (<c>train --resume RUN --epochs N</c>): a different limit in the journal is changed
    /// (<c>EpochLimitChanged</c>), and a run that ended at its limit goes on to the new one.</summary>
    public bool ChangesEpochLimit { get; init; }

    /// <summary>The metrics the replicas report, with their directions (<c>mode = auto</c> reads them);
    /// null: not known (Keras's own metric names stand in).</summary>
    public IReadOnlyList<MetricDefinition>? Metrics { get; init; }

    /// <summary>What the callbacks know of the run: its first rate, its workers, its metrics' directions.</summary>
    public RunInfo RunInfo => new(InitialLearningRate, Workers) { Metrics = Directions(Metrics) };

    /// <summary>Declared metrics as the callbacks read their directions.</summary>
    public static IReadOnlyDictionary<string, Direction?>? Directions(IEnumerable<MetricDefinition>? metrics) =>
        metrics?.ToDictionary(m => m.Name, m => m.Direction switch
        {
            MetricDirection.Up => Direction.Maximize,
            MetricDirection.Down => (Direction?)Direction.Minimize,
            _ => null,
        });

    public string PersistenceId => $"run-{RunId}";

    /// <summary>How events record paths in this run folder, and how recorded paths resolve in it.</summary>
    public RunPaths Paths => new(RunFolder, RunId);

    /// <summary>Where ModelCheckpoint's relative file names go.</summary>
    public string CheckpointFolder => Path.Combine(RunFolder, "checkpoints");

    /// <summary>Resume states and best weights: files the run manages itself.</summary>
    public string StateFolder => Path.Combine(RunFolder, "state");

    /// <summary>Where EarlyStopping's best weights of <paramref name="epoch"/> are kept until they are restored.</summary>
    public string BestWeightsPath(int epoch) => Path.Combine(StateFolder, $"best-e{epoch:D4}.weights");

    public string FinalModelPath => Path.Combine(RunFolder, "final.weights");

    /// <summary>Worker <paramref name="worker"/>'s training state after <paramref name="epoch"/>, for resuming.</summary>
    public string ResumeStatePath(int epoch, int worker) =>
        Path.Combine(StateFolder, $"resume-e{epoch:D4}-w{worker}.state");
}
