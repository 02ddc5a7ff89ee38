using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision.Decider;
using static Coordinator.Actors.Events.RunEvents;
using static Coordinator.Actors.Tests.Decider.DeciderFixtures;

namespace Coordinator.Actors.Tests.Decider;

/// <summary>The supervisor's decisions as pure functions: starting, resuming, losses and the restart budget, joins.</summary>
public sealed class SupervisorDeciderTests
{
    [Fact]
    public void A_new_run_records_its_start_with_every_fingerprint_and_begins_epoch_0()
    {
        var decision = SupervisorDecider.Begin(Run(), Settings() with { DataSha256 = "data-sha" }, 2, 123, Now);

        var started = Assert.IsType<RunStarted>(Assert.Single(decision.Events));
        Assert.Equal((2, 123, "config-sha", "data-sha", Now), (started.Workers, started.ParameterCount, started.ConfigSha256, started.DataSha256, started.At));
        Assert.IsType<SupervisorEffect.BeginFirstEpoch>(Assert.Single(decision.Effects));
    }

    [Fact]
    public void A_run_in_the_journal_resumes_and_a_new_epoch_limit_is_recorded_first()
    {
        var run = Run(Started(epochs: 10), Epoch(0));

        var same = SupervisorDecider.Begin(run, Settings(), 2, 10, Now);
        Assert.Empty(same.Events);
        Assert.IsType<SupervisorEffect.ResumeRun>(Assert.Single(same.Effects));

        var longer = SupervisorDecider.Begin(run, Settings(epochs: 15, changesEpochLimit: true), 2, 10, Now);
        Assert.Equal(new EpochLimitChanged(10, 15, Now), Assert.Single(longer.Events));
        Assert.IsType<SupervisorEffect.ResumeRun>(Assert.Single(longer.Effects));
    }

    [Fact]
    public void A_run_that_is_over_persists_nothing_and_reports_its_outcome_unless_the_limit_is_raised()
    {
        var completed = new RunCompleted(Core.Reporting.RunStatus.Completed, Core.Reporting.FinalMetrics.Of(1, 0.5, 1, 0.5), "final.weights", "sha", 10, 3);
        var run = Run(Started(epochs: 2), Epoch(0), Epoch(1), completed);

        var over = SupervisorDecider.Begin(run, Settings(epochs: 2), 2, 10, Now);
        Assert.Empty(over.Events);
        Assert.Equal(new SupervisorEffect.ReportOutcome(Core.Reporting.RunStatus.Completed), Assert.Single(over.Effects));

        Assert.True(SupervisorDecider.ExtendsEpochLimit(run, Settings(epochs: 4, changesEpochLimit: true)));
        Assert.False(SupervisorDecider.IsOver(run, Settings(epochs: 4, changesEpochLimit: true)));
        Assert.True(SupervisorDecider.IsOver(run, Settings(epochs: 4)));
    }

    [Fact]
    public void A_resumed_run_waits_for_the_members_it_had_a_new_one_for_all_it_is_configured_with()
    {
        Assert.Equal(4, SupervisorDecider.WorkersToWaitFor(Run(), Settings(workers: 4, minWorkers: 2)));
        var shrunk = Run(Started(workers: 4), new WorkerLost("w3", 0, "gone", 3));
        Assert.Equal(3, SupervisorDecider.WorkersToWaitFor(shrunk, Settings(workers: 4, minWorkers: 2)));
    }

    [Fact]
    public void Resuming_goes_on_from_the_newest_resume_state_whose_files_verify()
    {
        var run = Run(Started(), Epoch(0), ResumeState(0, File("a0")), Epoch(1), ResumeState(1, File("a1"), File("b1")));
        var candidates = SupervisorDecider.ResumeCandidates(run);
        Assert.Equal([["state/a1", "state/b1"], ["state/a0"]], candidates.Select(c => c.Select(f => f.Path).ToList()).ToList());

        var clean = SupervisorDecider.Resume(run, new Dictionary<string, string?> { ["state/a1"] = null, ["state/b1"] = null }, Settings().Paths, Now);
        Assert.Equal([new RunResumed(1, Now)], clean.Events);
        Assert.Equal(new SupervisorEffect.GoOnFrom(1), Assert.Single(clean.Effects));
    }

    [Fact]
    public void A_resume_state_that_does_not_verify_is_recorded_and_the_run_rewinds_to_the_one_before()
    {
        var run = Run(Started(), Epoch(0), ResumeState(0, File("a0")), Epoch(1), ResumeState(1, File("a1"), File("b1")));
        var problems = new Dictionary<string, string?> { ["state/a1"] = null, ["state/b1"] = "missing", ["state/a0"] = null };

        var decision = SupervisorDecider.Resume(run, problems, Settings().Paths, Now);

        Assert.Equal<IRunEvent>([
            new CheckpointCorrupted("state/b1", "sha-b1", "missing"),
            new RunRewound(0, "the resume state of epoch 1 could not be used"),
            new RunResumed(0, Now),
        ], decision.Events);
        var warning = Assert.IsType<RunProgress.Warning>(Assert.IsType<SupervisorEffect.Report>(decision.Effects[0]).Progress);
        Assert.Contains("missing; it was not loaded", warning.Message);
        Assert.Equal(new SupervisorEffect.GoOnFrom(0), decision.Effects[^1]);
    }

    [Fact]
    public void With_no_usable_resume_state_the_run_starts_over_from_its_seed()
    {
        var run = Run(Started(), Epoch(0), ResumeState(0, File("a0")));

        var decision = SupervisorDecider.Resume(run, new Dictionary<string, string?> { ["state/a0"] = "altered" }, Settings().Paths, Now);

        Assert.Equal(new RunRewound(-1, "the resume state of epoch 0 could not be used"), decision.Events[1]);
        Assert.Equal(new RunResumed(-1, Now), decision.Events[^1]);
        Assert.Equal(new SupervisorEffect.GoOnFrom(-1), decision.Effects[^1]);
    }

    [Fact]
    public void A_member_lost_mid_epoch_restarts_the_epoch_while_the_budget_lasts_then_fails_the_run()
    {
        var settings = Settings(workers: 3, maxRestarts: 1);
        var first = SupervisorDecider.LostMidEpoch(Run(Started(workers: 3)), settings, "w2", 4, "stopped", members: ["m0", "m1"]);
        Assert.Equal<IRunEvent>([new WorkerLost("w2", 4, "stopped", 2), new EpochRestarted(4, 2, 1, 1)], first.Events);
        Assert.Equal(new SupervisorEffect.RestartEpoch(4), first.Effects[^1]);

        var afterRestart = Run([Started(workers: 3), .. first.Events]);
        var second = SupervisorDecider.LostMidEpoch(afterRestart, settings, "w1", 4, "stopped", members: ["m0"]);
        Assert.Equal([new WorkerLost("w1", 4, "stopped", 1)], second.Events);
        var fail = Assert.IsType<SupervisorEffect.FailRun>(second.Effects[^1]);
        Assert.Contains("the restart budget is used up (max-restarts = 1)", fail.Reason);
    }

    [Fact]
    public void A_loss_that_leaves_fewer_than_min_workers_fails_the_run_whatever_the_budget()
    {
        var decision = SupervisorDecider.LostMidEpoch(Run(Started()), Settings(minWorkers: 2, maxRestarts: 5), "w1", 0, "failed: boom", members: ["m0"]);

        Assert.Equal([new WorkerLost("w1", 0, "failed: boom", 1)], decision.Events);
        Assert.Contains("fewer than min-workers = 2", Assert.IsType<SupervisorEffect.FailRun>(decision.Effects[^1]).Reason);
    }

    [Fact]
    public void A_member_lost_between_epochs_is_recorded_against_the_next_epoch_a_joiner_only_mentioned()
    {
        var run = Run(Started(workers: 3), Epoch(0), Epoch(1));

        var member = SupervisorDecider.LostBetweenEpochs(run, Settings(workers: 3), "w2", "stopped", wasMember: true, members: ["m0", "m1"]);
        Assert.Equal([new WorkerLost("w2", 2, "stopped", 2)], member.Events);
        Assert.DoesNotContain(member.Effects, e => e is SupervisorEffect.FailRun);

        var joiner = SupervisorDecider.LostBetweenEpochs(run, Settings(workers: 3), "w9", "stopped", wasMember: false, members: ["m0", "m1", "m2"]);
        Assert.Empty(joiner.Events);
        var mentioned = (RunProgress.MembersChanged)((SupervisorEffect.Report)Assert.Single(joiner.Effects)).Progress;
        Assert.Equal((MemberChange.LostBeforeJoining, "w9"), (mentioned.Change, mentioned.Worker));
    }

    [Fact]
    public void Joiners_are_recorded_with_the_membership_they_make()
    {
        var decision = SupervisorDecider.Joined(["w3", "w4"], ["w1", "w2"], epoch: 5);

        Assert.Equal<IRunEvent>([new WorkerJoined("w3", 5, 4), new WorkerJoined("w4", 5, 4)], decision.Events);
        Assert.Equal(2, decision.Effects.Count);
    }

    [Fact]
    public void The_best_weights_are_restored_once_and_a_damaged_file_without_a_fallback_fails_the_run()
    {
        var best = File("best-e0003");
        var fine = SupervisorDecider.RestoreBest(Run(Started()), Settings().Paths, 3, "early-stopping", best,
            new Supervision.Store.BestWeightsLookup(null, "/x", true, [1, 2], null));
        Assert.Equal([new BestWeightsRestored(3, "early-stopping")], fine.Events);
        Assert.Empty(fine.Effects);

        var lost = SupervisorDecider.RestoreBest(Run(Started()), Settings().Paths, 3, "early-stopping", best,
            new Supervision.Store.BestWeightsLookup("missing", "/x", false, null, null));
        Assert.Equal([new CheckpointCorrupted(best.Path, best.Sha256, "missing")], lost.Events);
        Assert.Contains("no valid checkpoint is left to restore", Assert.IsType<SupervisorEffect.FailRun>(lost.Effects[^1]).Reason);
    }

    [Fact]
    public void The_barrier_closes_when_every_member_reported_and_names_the_silent_ones_otherwise()
    {
        var tally = new BarrierTally<string>(["w0", "w1", "w2"]);

        Assert.Null(tally.Add("w2", Report(2)));
        Assert.Null(tally.Add("stranger", Report(9)));
        Assert.Null(tally.Add("w0", Report(0)));
        Assert.Equal(["w1"], tally.Silent);
        Assert.Equal("worker(s) w1 did not report epoch 4 within 30s (epoch-timeout)", BarrierTally.TimeoutReason(tally.Silent, 3, TimeSpan.FromSeconds(30)));

        var all = tally.Add("w1", Report(1));
        Assert.Equal([0, 1, 2], all!.Select(r => r.Worker));
        Assert.Empty(tally.Silent);
    }
}
