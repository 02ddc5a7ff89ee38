using Coordinator.Callbacks.Scheduling;

namespace Coordinator.Callbacks;

/// <summary>Keras's <c>LearningRateScheduler</c> with a schedule from configuration (or a delegate).</summary>
public sealed record LearningRateSchedulerSettings(ScheduleSpec Schedule) : CallbackSettings
{
    public override string Type => "learning-rate-scheduler";
    public int Verbose { get; init; }

    public override TrainingCallback Create(string name, RunInfo run) =>
        new LearningRateScheduler(name, Schedule.Build(name, run), Schedule.Kind);
}
