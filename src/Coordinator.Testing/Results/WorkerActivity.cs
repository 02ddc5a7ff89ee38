using Coordinator.Core.Reporting;

namespace Coordinator.Testing.Results;

/// <summary>
/// What a simulated worker was told and did, at which virtual time (from the scenario's start). The
/// list of a scenario is in one order consistent with each worker's own.
/// </summary>
public abstract record WorkerActivity(string Worker, TimeSpan At)
{
    /// <summary>Registered with a supervisor (the first one, or the next one after a restart).</summary>
    public sealed record Registered(string Worker, TimeSpan At) : WorkerActivity(Worker, At);

    public sealed record Refused(string Worker, TimeSpan At, string Reason) : WorkerActivity(Worker, At);

    /// <summary>Told to train <see cref="Epoch"/> as member <see cref="Rank"/> of <see cref="Workers"/>, holding the
    /// training of <see cref="FromEpoch"/> (-1: none yet); a correct run always starts an epoch from the one before.</summary>
    public sealed record Started(string Worker, TimeSpan At, int Epoch, int Rank, int Workers, double LearningRate, int FromEpoch)
        : WorkerActivity(Worker, At);

    /// <summary>Told to stop the epoch at the next step.</summary>
    public sealed record StopReceived(string Worker, TimeSpan At, int Epoch) : WorkerActivity(Worker, At);

    /// <summary>Reported the epoch after <see cref="Steps"/> steps.</summary>
    public sealed record Reported(string Worker, TimeSpan At, int Epoch, int Steps) : WorkerActivity(Worker, At);

    /// <summary>Dropped the attempt in flight (told to, or because its supervisor is gone).</summary>
    public sealed record Aborted(string Worker, TimeSpan At, int Epoch) : WorkerActivity(Worker, At);

    /// <summary>Loaded a training state: that of the end of <see cref="Epoch"/> (-1: the run's start).</summary>
    public sealed record StateLoaded(string Worker, TimeSpan At, int Epoch) : WorkerActivity(Worker, At);

    /// <summary>Loaded weights: those of the end of <see cref="Epoch"/>.</summary>
    public sealed record WeightsLoaded(string Worker, TimeSpan At, int Epoch) : WorkerActivity(Worker, At);

    /// <summary>Stopped by the scenario (a lost worker) at this batch of this epoch.</summary>
    public sealed record Lost(string Worker, TimeSpan At, int Epoch, int Batch) : WorkerActivity(Worker, At);

    /// <summary>Told the run is over.</summary>
    public sealed record Ended(string Worker, TimeSpan At, RunStatus Outcome) : WorkerActivity(Worker, At);
}
