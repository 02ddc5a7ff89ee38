namespace Coordinator.Cli.Bench.Trials;

/// <summary>
/// One measured training, run in a process of its own (<c>coordinator-bench --trial</c>) so that
/// every trial starts with its own TorchSharp thread count, a fresh heap and a fresh JIT: either
/// the coordinator (<see cref="TrialKind.Coordinator"/>, through <c>TrainingHost</c> with a run
/// configuration, as <c>coordinator train</c> runs) or the bare TorchSharp loop.
/// </summary>
/// <param name="Name">What the trial is called in the output (e.g. "coordinator 2w x 1t").</param>
/// <param name="Folder">A new folder for the trial's run, data copy and results.</param>
/// <param name="BatchSize">Per worker for the coordinator; per step for the bare loop.</param>
/// <param name="Threads">Intra-op threads per worker (the bare loop: of its one thread).</param>
/// <param name="Persistence">Coordinator only: what the run persists (see <see cref="PersistenceLevel"/>).</param>
/// <param name="CountTraffic">Coordinator only: every message crosses a counting serializer (B3).</param>
/// <param name="ReadJournal">Coordinator only: read the bytes sent per epoch and the parameter count back from the journal.</param>
public sealed record TrialSpec(
    string Name,
    TrialKind Kind,
    string Folder,
    string DataPath,
    IReadOnlyList<int> Hidden,
    double Dropout,
    int BatchSize,
    int Workers,
    int Threads,
    int Epochs,
    long Seed,
    double LearningRate,
    double Momentum,
    string Sync = "gradients",
    int SyncEvery = 8,
    PersistenceLevel Persistence = PersistenceLevel.Default,
    bool CountTraffic = false,
    bool ReadJournal = false);

public enum TrialKind
{
    Coordinator,
    BareLoop,
}

/// <summary>What a coordinator trial persists.</summary>
public enum PersistenceLevel
{
    /// <summary>As <c>train</c> with no callbacks: events in the SQLite journal, every worker's resume state per epoch.</summary>
    Default,

    /// <summary>Default plus a checkpoint file every epoch (save-top-k = 3, so deletions too) and a snapshot every 10 events.</summary>
    Full,

    /// <summary>In-memory journal and snapshot store, no checkpoint callback. The supervisor still writes every
    /// worker's resume state each epoch: the coordinator has no switch for that.</summary>
    Off,
}
