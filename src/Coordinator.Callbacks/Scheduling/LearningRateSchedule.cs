namespace Coordinator.Callbacks.Scheduling;

/// <summary>
/// A schedule as Keras's <c>LearningRateScheduler</c> calls it: the 0-based epoch and the
/// optimizer's current rate in, the rate for that epoch out.
/// </summary>
public delegate double LearningRateSchedule(int epoch, double learningRate);
