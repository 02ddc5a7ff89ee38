using Akka.TestKit.Xunit2;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.TestSupport;
using Coordinator.Callbacks;

namespace Coordinator.Actors.Tests;

/// <summary>The run's progress as published: step reports coalesced without losing a step, every message stamped with
/// its run, the event stream and a topic both served, the callbacks' decisions as data and their words.</summary>
public sealed class ProgressPublishingTests() : TestKit(TestConfig.Create())
{
    private sealed class ManualClock
    {
        public TimeSpan Now { get; set; }
    }

    private sealed class RecordingTopic : IProgressTopic
    {
        public List<RunProgress.Update> Published { get; } = [];

        public void Publish(RunProgress.Update update) => Published.Add(update);
    }

    [Fact]
    public void Steps_within_the_interval_go_out_together_and_none_is_lost()
    {
        var clock = new ManualClock();
        var steps = new StepReports(TimeSpan.FromMilliseconds(100), () => clock.Now);
        steps.EpochBegan(5);
        var sent = new List<RunProgress.StepsReported?>();
        for (var s = 0; s < 5; s++) sent.Add(steps.Add(0, s, 1.0 / (s + 1))); // the clock stands still

        // The first step goes at once; the rest wait, and the epoch's last step sends them all.
        Assert.Equal([true, false, false, false, true], sent.Select(m => m is not null));
        Assert.Equal((0, 0, 1.0), (sent[0]!.Epoch, sent[0]!.FirstStep, Assert.Single(sent[0]!.RunningLosses)));
        Assert.Equal([(1, 0.5), (2, 1.0 / 3), (3, 0.25), (4, 0.2)], sent[4]!.Steps);
        Assert.Null(steps.Flush());
    }

    [Fact]
    public void A_step_after_the_interval_goes_out_with_those_pending_and_a_flush_sends_the_rest()
    {
        var clock = new ManualClock();
        var steps = new StepReports(TimeSpan.FromMilliseconds(100), () => clock.Now);
        steps.EpochBegan(100);
        Assert.NotNull(steps.Add(3, 0, 0.9));
        Assert.Null(steps.Add(3, 1, 0.8));
        clock.Now = TimeSpan.FromMilliseconds(100);
        var due = steps.Add(3, 2, 0.7);
        Assert.Equal([(1, 0.8), (2, 0.7)], due!.Steps);
        Assert.Null(steps.Add(3, 3, 0.6));
        var rest = steps.Flush();
        Assert.Equal((3, 3, 3), (rest!.Epoch, rest.FirstStep, rest.LastStep));
    }

    [Fact]
    public void The_publisher_stamps_the_run_serves_stream_and_topic_and_sends_pending_steps_before_anything_else()
    {
        var probe = CreateTestProbe();
        RunProgressSubscription.Subscribe(Sys.EventStream, probe);
        var topic = new RecordingTopic();
        var publisher = new RunProgressPublisher("run-7", Sys.EventStream, topic, () => TimeSpan.Zero);

        publisher.Publish(new RunProgress.EpochBegan(0, 2, 10, 0.01));
        publisher.Publish(new RunProgress.StepsReported(0, 0, [0.9]));
        publisher.Publish(new RunProgress.StepsReported(0, 1, [0.8])); // held: the clock stands still
        publisher.Publish(new RunProgress.Warning("careful"));

        var received = new[] { probe.ExpectMsg<RunProgress.Update>(), probe.ExpectMsg<RunProgress.Update>(),
            probe.ExpectMsg<RunProgress.Update>(), probe.ExpectMsg<RunProgress.Update>() };
        Assert.All(received, u => Assert.Equal("run-7", u.RunId));
        Assert.IsType<RunProgress.EpochBegan>(received[0]);
        Assert.Equal(0, Assert.IsType<RunProgress.StepsReported>(received[1]).FirstStep);
        Assert.Equal(1, Assert.IsType<RunProgress.StepsReported>(received[2]).FirstStep);
        Assert.IsType<RunProgress.Warning>(received[3]);
        Assert.Equal(received.Select(Describe), topic.Published.Select(Describe));
    }

    // Records with lists inside compare by reference; messages on the stream have crossed the serializer.
    private static string Describe(RunProgress.Update u) =>
        u is RunProgress.StepsReported s ? $"{s.RunId}: steps {s.Epoch}/{s.FirstStep}: {string.Join(", ", s.RunningLosses)}" : u.ToString();

    [Fact]
    public void A_forwarded_subscription_sees_its_run_only()
    {
        var probe = CreateTestProbe();
        RunProgressSubscription.ForwardTo(Sys, "mine", probe);
        new RunProgressPublisher("other", Sys.EventStream).Publish(new RunProgress.Note("not for me"));
        new RunProgressPublisher("mine", Sys.EventStream).Publish(new RunProgress.Note("for me"));
        Assert.Equal("for me", probe.ExpectMsg<RunProgress.Note>().Message);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Decisions_travel_as_data_in_order_and_the_epoch_line_words_come_from_them()
    {
        var decisions = EpochDecisions.From(
        [
            new CheckpointRequested("model-checkpoint", 4, null, "ckpt-05.weights", "val_loss", 0.12, true, CheckpointKind.Regular),
            new CheckpointRequested("model-checkpoint-2", 4, null, "ckpt-b-05.weights", "val_loss", 0.12, true, CheckpointKind.Regular),
            new Callbacks.LearningRateChanged("reduce-lr-on-plateau", 4, 0.0020000000949949026, 0.00039999998989515007, LearningRateChangeReason.Plateau),
            new CheckpointRequested("model-checkpoint", 4, null, "last.weights", "val_loss", 0.12, true, CheckpointKind.Last),
            new Callbacks.BestWeightsMarked("early-stopping", 4),
            new Callbacks.StopRequested("early-stopping", 4, null, new StopReason(StopKind.NoImprovement, "early-stopping", "no improvement")),
        ]);

        Assert.Equal(
        [
            new EpochDecision.CheckpointSaved("model-checkpoint", "ckpt-05.weights", "regular", null),
            new EpochDecision.CheckpointSaved("model-checkpoint-2", "ckpt-b-05.weights", "regular", null),
            new EpochDecision.RateChanged("reduce-lr-on-plateau", 0.0020000000949949026, 0.00039999998989515007, "plateau"),
            new EpochDecision.CheckpointSaved("model-checkpoint", "last.weights", "last", null),
            new EpochDecision.BestWeightsMarked("early-stopping"),
            new EpochDecision.StopRequested("early-stopping", "NoImprovement", null, "no improvement"),
        ], decisions);
        Assert.Equal(["checkpoint saved", "lr 0.002 -> 0.0004 (plateau)", "early stop"], ProgressText.EpochNotes(decisions));
        Assert.Equal(["stopped: NaN/inf loss"],
            ProgressText.EpochNotes([new EpochDecision.StopRequested("terminate-on-nan", "NonFiniteLoss", 3, "batch 3: loss is nan")]));
    }

    [Fact]
    public void Membership_changes_read_as_the_console_shows_them()
    {
        Assert.Equal("worker w2 stopped (its process or node is gone) during epoch 4", ProgressText.Warning(
            new RunProgress.MembersChanged(MemberChange.LostDuringEpoch, "w2", 3, ["w1"], "stopped (its process or node is gone)")));
        Assert.Equal("worker w3 joined: 3 workers from epoch 5", ProgressText.Note(
            new RunProgress.MembersChanged(MemberChange.Joined, "w3", 4, ["w1", "w2", "w3"], null)));
        Assert.Null(ProgressText.Note(new RunProgress.MembersChanged(MemberChange.LostBetweenEpochs, "w2", 3, ["w1"], "failed: x")));
        Assert.Equal("early-stopping: careful", ProgressText.Warning(new RunProgress.Warning("careful", "early-stopping")));
    }
}
