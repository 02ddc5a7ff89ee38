using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;

namespace Coordinator.Cli.Distributed;

/// <summary>
/// A run's progress on its DistributedPubSub topic (<see cref="ProgressTopics.ForRun"/>), so that subscribers on any
/// node of the cluster see it: <c>mediator.Tell(new Subscribe(ProgressTopics.ForRun(runId), subscriber))</c>.
/// </summary>
public sealed class ClusterProgressTopic(IActorRef mediator, string runId) : IProgressTopic
{
    private readonly string _topic = ProgressTopics.ForRun(runId);

    public static ClusterProgressTopic For(ActorSystem system, string runId) => new(DistributedPubSub.Get(system).Mediator, runId);

    public void Publish(RunProgress.Update update) => mediator.Tell(new Publish(_topic, update));
}
