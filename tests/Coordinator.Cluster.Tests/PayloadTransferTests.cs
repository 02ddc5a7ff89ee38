using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Transfer;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// Chunked transfers between two real ActorSystems on loopback whose remoting frames hold 64,000 bytes:
/// a message of megabytes arrives whole, from its original sender; within one process it stays a
/// reference; a payload that does not match what its chunks announced is rejected, naming both
/// fingerprints; a node that never acknowledges makes the transfer fail back to its sender.
/// </summary>
public sealed class PayloadTransferTests() : TestKit(Remote())
{
    private static Config Remote(string extra = "") =>
        ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, maximum-frame-size = 64000b }
            akka.test.single-expect-default = 60s
            {{extra}}
            """)
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "coordinator.conf"))));

    private static byte[] Payload(int bytes) => Enumerable.Range(0, bytes).Select(i => (byte)(i * 31 + 7)).ToArray();

    private IActorRef Remotely(ActorSystem from, IActorRef target) =>
        from.ActorSelection(target.Path.ToStringWithAddress(((ExtendedActorSystem)Sys).Provider.DefaultAddress)).ResolveOne(TimeSpan.FromSeconds(30)).Result;

    [Fact]
    public async Task A_message_of_megabytes_crosses_64000_byte_frames_in_chunks_and_arrives_from_its_sender()
    {
        PayloadTransfer.Get(Sys); // the receiving node's endpoint
        var other = ActorSystem.Create("other", Remote());
        try
        {
            var sender = new Akka.TestKit.TestProbe(other, new Akka.TestKit.Xunit2.XunitAssertions());
            var payload = Payload(3_000_000);
            PayloadTransfer.Get(other).Tell(Remotely(other, TestActor), new WorkerReports.TrainingStateCaptured(7, payload), sender.Ref);

            var received = ExpectMsg<WorkerReports.TrainingStateCaptured>();
            Assert.Equal(7, received.RequestId);
            Assert.Equal(payload, received.State);
            Assert.Equal(sender.Ref.Path.Elements, LastSender.Path.Elements); // the original sender, on the other node
            Assert.True(PayloadTransfer.IsRemote(LastSender));
        }
        finally
        {
            await other.Terminate();
        }
    }

    [Fact]
    public void Within_one_process_a_large_message_stays_a_reference()
    {
        var payload = Payload(100_000);
        PayloadTransfer.Get(Sys).Tell(TestActor, new WorkerCommands.LoadWeights(3, payload), TestActor);
        Assert.Same(payload, ExpectMsg<WorkerCommands.LoadWeights>().Weights);
    }

    [Fact]
    public async Task Bytes_that_do_not_match_their_announced_SHA_256_are_rejected_naming_both()
    {
        PayloadTransfer.Get(Sys);
        var other = ActorSystem.Create("other", Remote());
        try
        {
            var probe = new Akka.TestKit.TestProbe(other, new Akka.TestKit.Xunit2.XunitAssertions());
            var target = Remotely(other, TestActor);
            var receiving = other.ActorSelection(new RootActorPath(((ExtendedActorSystem)Sys).Provider.DefaultAddress) / "system" / PayloadTransfer.EndpointName);
            var announced = new string('0', 64);
            receiving.Tell(new TransferMessages.PayloadChunk(1, 0, 1, 3, announced, target, null, 1701, "weights-captured.v2", [1, 2, 3]), probe.Ref);

            var rejected = probe.ExpectMsg<TransferMessages.ChunkRejected>();
            Assert.Equal(1, rejected.TransferId);
            Assert.Contains($"the sender announced {announced}", rejected.Reason);
            Assert.Contains("have SHA-256 039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", rejected.Reason); // SHA-256 of 1, 2, 3
        }
        finally
        {
            await other.Terminate();
        }
    }

    [Fact]
    public async Task A_node_that_never_acknowledges_makes_the_transfer_fail_back_to_its_sender()
    {
        // This system never starts its endpoint: the chunks find no one, no acknowledgement comes.
        var other = ActorSystem.Create("other", Remote("akka.coordinator.transfer { ack-timeout = 500ms, retries = 1 }"));
        try
        {
            var sender = new Akka.TestKit.TestProbe(other, new Akka.TestKit.Xunit2.XunitAssertions());
            var target = Remotely(other, TestActor);
            PayloadTransfer.Get(other).Tell(target, new WorkerReports.WeightsCaptured(9, Payload(100_000)), sender.Ref);

            var failed = sender.ExpectMsg<TransferMessages.TransferFailed>();
            Assert.Equal((target, "WeightsCaptured"), (failed.Target, failed.MessageType));
            Assert.Equal("no acknowledgement of chunk 1 of 4 after 2 waits of 0.5s", failed.Reason);
        }
        finally
        {
            await other.Terminate();
        }
    }
}
