using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit.Xunit2;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Cli.Distributed;
using Coordinator.Cli.Node;
using Coordinator.Cluster.Tests.Support;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// A run's progress reaches a subscriber on another node: two ActorSystems on loopback, built as `coordinator node`
/// builds them, form a cluster; what one node publishes for a run (as its supervisor does) arrives, through the
/// coordinator's serializer, at a subscriber to the run's DistributedPubSub topic on the other.
/// </summary>
public sealed class ProgressTopicTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_subscriber_on_another_node_sees_the_runs_progress()
    {
        var ports = FreePorts.Take(2);
        var seed = $"127.0.0.1:{ports[0]}";
        var systems = new List<ActorSystem>();
        try
        {
            var publishing = Start(systems, ports[0], seed);
            var subscribing = Start(systems, ports[1], seed);
            Assert.True(SpinWait.SpinUntil(() => Up(publishing) == 2 && Up(subscribing) == 2, Deadline), "the two nodes did not form a cluster");

            using var kit = new TestKit(subscribing);
            var subscriber = kit.CreateTestProbe();
            DistributedPubSub.Get(subscribing).Mediator.Tell(new Subscribe(ProgressTopics.ForRun("run-9"), subscriber.Ref), subscriber.Ref);
            subscriber.ExpectMsg<SubscribeAck>(Deadline);

            // The subscription reaches the publishing node by gossip: publish until it arrives.
            var publisher = new RunProgressPublisher("run-9", publishing.EventStream, ClusterProgressTopic.For(publishing, "run-9"));
            var logs = new Dictionary<string, double> { ["loss"] = 0.25, ["val_loss"] = double.NaN };
            var decisions = new List<EpochDecision> { new EpochDecision.RateChanged("reduce-lr-on-plateau", 0.01, 0.002, "plateau") };
            RunProgress.EpochSummarized? received = null;
            for (var attempt = 0; attempt < 60 && received is null; attempt++)
            {
                publisher.Publish(new RunProgress.EpochSummarized(attempt, logs, 1.5, decisions));
                received = subscriber.ReceiveOne(TimeSpan.FromSeconds(1)) as RunProgress.EpochSummarized;
            }

            Assert.NotNull(received);
            Assert.Equal("run-9", received.RunId);
            Assert.Equal(0.25, received.Logs["loss"]);
            Assert.True(double.IsNaN(received.Logs["val_loss"]));
            Assert.Equal(decisions, received.Decisions);
        }
        finally
        {
            await Task.WhenAll(systems.Select(s => s.Terminate()));
        }
    }

    private static ActorSystem Start(List<ActorSystem> systems, int port, string seed)
    {
        var inputs = NodeInputs.Worker(port).Env("COORDINATOR_SEEDS", seed);
        var system = ActorSystem.Create(NodeConfig.SystemName, NodeConfig.Setup(NodeConfig.Build(inputs.Read(), inputs.File), null));
        systems.Add(system);
        return system;
    }

    private static int Up(ActorSystem system) => AkkaCluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up);
}
