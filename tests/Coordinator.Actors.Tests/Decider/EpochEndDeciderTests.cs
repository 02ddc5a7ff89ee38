using Coordinator.Actors.Supervision.Decider;
using Coordinator.Callbacks;
using static Coordinator.Actors.Events.RunEvents;
using static Coordinator.Actors.Tests.Decider.DeciderFixtures;

namespace Coordinator.Actors.Tests.Decider;

/// <summary>The events of an epoch's end and the files it stores, as pure functions.</summary>
public sealed class EpochEndDeciderTests
{
    private static EpochEnded Ended(int epoch, bool stop = false, params CallbackDecision[] decisions) =>
        new(epoch, 0.01, 0.005, stop, stop ? new StopReason(StopKind.NoImprovement, "early-stopping", "no improvement") : null,
            new MetricLogs { ["loss"] = 0.5, ["learning_rate"] = 0.01 }, decisions);

    [Fact]
    public void The_epoch_is_recorded_first_then_warnings_rate_changes_and_the_stop_in_the_order_decided()
    {
        var decisions = new CallbackDecision[]
        {
            new CallbackWarning("early-stopping", "val_loss is NaN"),
            new Callbacks.LearningRateChanged("reduce-lr-on-plateau", 2, 0.01, 0.005, LearningRateChangeReason.Plateau),
            new StopRequested("early-stopping", 2, null, new StopReason(StopKind.NoImprovement, "early-stopping", "no improvement")),
        };

        var plan = EpochEndDecider.Plan(2, Ended(2, stop: true), decisions, [Report(1, 2), Report(0, 2)], 1.5, "{state}", Run(Started()), Settings());

        Assert.Equal([typeof(EpochCompleted), typeof(CallbackWarned), typeof(Events.RunEvents.LearningRateChanged), typeof(TrainingStopped)],
            plan.Events.Select(e => e.GetType()));
        var completed = (EpochCompleted)plan.Events[0];
        Assert.Equal((2, 0.01, 1.5, "{state}", 0.5), (completed.Epoch, completed.LearningRate, completed.Seconds, completed.CallbackState, completed.Logs["loss"]));
        Assert.Equal(new TrainingStopped(2, null, "NoImprovement", "early-stopping", "no improvement"), plan.Events[^1]);
        Assert.Equal(["lr 0.01 -> 0.005 (plateau)", "early stop"], Progress.ProgressText.EpochNotes(plan.Decisions));
        Assert.Empty(plan.Files);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Replicas_that_differ_after_synchronisation_are_warned_about()
    {
        var plan = EpochEndDecider.Plan(0, Ended(0), [], [Report(0, hash: "x"), Report(1, hash: "y")], 1, "{}", Run(Started()), Settings());

        Assert.Contains("the replicas differ after synchronisation (x, y)", Assert.Single(plan.Warnings));
    }

    [Fact]
    public void Files_are_stored_in_the_order_decided_a_best_mark_made_twice_once_and_a_refused_name_fails_there()
    {
        var decisions = new CallbackDecision[]
        {
            new BestWeightsMarked("early-stopping", 3),
            new CheckpointRequested("model-checkpoint", 3, null, "ckpt-04.weights", "val_loss", 0.4, true, CheckpointKind.Regular),
            new CheckpointDeletionRequested("model-checkpoint", 3, "ckpt-01.weights", "top-k"),
            new BestWeightsMarked("early-stopping", 3),
            new CheckpointRequested("model-checkpoint", 3, null, "../../outside.weights", "val_loss", 0.4, true, CheckpointKind.Regular),
        };

        var plan = EpochEndDecider.Plan(3, Ended(3), decisions, [Report(0, 3)], 1, "{}", Run(Started()), Settings());

        var save = Assert.IsType<FileJob.SaveCheckpoint>(plan.Files[0]);
        Assert.Equal(Path.Combine(Settings().CheckpointFolder, "ckpt-04.weights"), save.Path);
        var deletion = Assert.IsType<FileJob.RecordDeletion>(plan.Files[1]);
        Assert.Equal(new CheckpointDeleted(3, "checkpoints/ckpt-01.weights", "top-k"), deletion.Deleted);
        Assert.Equal(Settings().BestWeightsPath(3), Assert.IsType<FileJob.SaveBestWeights>(plan.Files[2]).Path);
        Assert.Contains("outside.weights", Assert.IsType<FileJob.Refused>(plan.Files[3]).Reason);
        Assert.Equal(4, plan.Files.Count);
    }

    [Fact]
    public void New_best_weights_supersede_the_previous_ones_whose_file_goes_once_the_batch_is_stored()
    {
        var previous = new BestWeightsSaved(1, File("best-e0001.weights"));
        var job = new FileJob.SaveBestWeights(new BestWeightsMarked("early-stopping", 3), "/tmp/decider-run/state/best-e0003.weights");
        var written = File("best-e0003.weights");

        var (events, deletions) = EpochEndDecider.Saved(job, written, Run(Started(), previous));

        Assert.Equal<IRunEvent>([new BestWeightsSaved(3, written), new BestWeightsDeleted(1, previous.File.Path)], events);
        Assert.Equal([previous.File.Path], deletions);
        Assert.Equal([new BestWeightsSaved(3, written)], EpochEndDecider.Saved(job, written, Run(Started())).Events);
    }

    [Fact]
    public void Members_in_step_share_the_first_members_resume_state_file_and_old_states_are_dropped()
    {
        var first = File("resume-e0004-w0");
        var own = File("resume-e0004-w2");
        var saved = EpochEndDecider.ResumeState(4, 3, first, new Dictionary<int, StoredFile> { [2] = own });
        Assert.Equal([first, first, own], saved.Files);

        var run = Run(Started(), ResumeState(2, File("r2")), ResumeState(3, File("r3")));
        var userCheckpoint = "/elsewhere/ckpt.weights";
        var (last, deletions) = EpochEndDecider.Close(4, [new CheckpointDeleted(4, userCheckpoint, "top-k")], [userCheckpoint], saved, run, Settings());

        Assert.Equal<IRunEvent>([saved, new ResumeStateDeleted(2)], last);
        Assert.Equal([(userCheckpoint, true), ("state/r2", false)], deletions);
    }
}
