using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Progress;

/// <summary>Where a run's progress goes beyond this ActorSystem (in a cluster: the run's DistributedPubSub topic).</summary>
public interface IProgressTopic
{
    void Publish(RunProgress.Update update);
}

/// <summary>The name of a run's progress topic, for publishers and subscribers on any node.</summary>
public static class ProgressTopics
{
    public static string ForRun(string runId) => $"run-progress.{runId}";
}
