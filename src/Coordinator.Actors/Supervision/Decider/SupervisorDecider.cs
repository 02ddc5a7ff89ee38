using Coordinator.Actors.Protocol;
using Coordinator.Actors.State;
using static Coordinator.Actors.Events.RunEvents;
using static Coordinator.Actors.Supervision.Decider.SupervisorEffect;

namespace Coordinator.Actors.Supervision.Decider;

/// <summary>
/// The supervisor's decisions, pure: from the run's state (the fold of its events), its settings and
/// what just happened, the events to persist and what to do next. No actors, no files, no clock
/// (the time is an input): the supervisor actor carries the decisions out.
/// Epoch ends are decided by <see cref="EpochEndDecider"/>.
/// </summary>
public static class SupervisorDecider
{
    /// <summary>A new run waits for the workers it is configured with; a resumed one for the members it had last
    /// (a worker lost since is not waited for beyond the wait's end, when min-workers will do).</summary>
    public static int WorkersToWaitFor(RunState run, SupervisorSettings s) =>
        run.Started is null ? s.Workers : Math.Max(s.MinWorkers, Math.Min(run.Members, s.MaxWorkers));

    /// <summary>A finished run goes on only when it ended at its epoch limit and this process raises the limit.</summary>
    public static bool ExtendsEpochLimit(RunState run, SupervisorSettings s) =>
        s.ChangesEpochLimit && run.Stop is null && run.EpochLimit is { } limit && s.Epochs > limit;

    /// <summary>Whether a run recovered from the journal is over (and this process does not extend it).</summary>
    public static bool IsOver(RunState run, SupervisorSettings s) => run.Completed is not null && !ExtendsEpochLimit(run, s);

    /// <summary>Enough workers have registered: start the run, or go on with the one in the journal.</summary>
    public static Decision Begin(RunState run, SupervisorSettings s, int members, int parameterCount, DateTimeOffset now)
    {
        if (IsOver(run, s)) return Decision.Of([], new ReportOutcome(run.Completed!.Status));
        if (run.Started is null)
            return Decision.Of([new RunStarted(s.RunId, members, s.Sync, s.Seed, s.Epochs, s.InitialLearningRate, parameterCount, s.ConfigSha256, now)
            {
                DataSha256 = s.DataSha256, Settings = s.ConfigSettings,
            }], new BeginFirstEpoch());
        if (s.ChangesEpochLimit && run.EpochLimit != s.Epochs)
            return Decision.Of([new EpochLimitChanged(run.EpochLimit ?? s.Epochs, s.Epochs, now)], new ResumeRun());
        return Decision.Of([], new ResumeRun());
    }

    /// <summary>The resume states to try, newest first, each with its distinct files (members in step share one).</summary>
    public static IReadOnlyList<IReadOnlyList<StoredFile>> ResumeCandidates(RunState run) =>
        run.ResumeStates.Reverse().Select(r => (IReadOnlyList<StoredFile>)r.Files.DistinctBy(f => f.Path).ToList()).ToList();

    /// <summary>
    /// Chooses the resume state to go on from: the newest whose files all verify. <paramref name="problems"/>
    /// maps a recorded path to what is wrong with its file (null: it verifies); candidates older than the
    /// first usable one need not be in it. Files that do not verify are recorded; epochs after the chosen
    /// state are dropped (<c>RunRewound</c>); no usable state goes on from the start.
    /// </summary>
    public static Decision Resume(RunState run, IReadOnlyDictionary<string, string?> problems, RunPaths paths, DateTimeOffset now)
    {
        var events = new List<IRunEvent>();
        var effects = new List<SupervisorEffect>();
        ResumeStateSaved? usable = null;
        foreach (var candidate in run.ResumeStates.Reverse())
        {
            var bad = candidate.Files.DistinctBy(f => f.Path).Where(f => problems.GetValueOrDefault(f.Path) is not null).ToList();
            if (bad.Count == 0 && candidate.Files.All(f => problems.ContainsKey(f.Path)))
            {
                usable = candidate;
                break;
            }
            foreach (var file in bad)
            {
                events.Add(new CheckpointCorrupted(file.Path, file.Sha256, problems[file.Path]!));
                effects.Add(new Report(new RunProgress.Warning($"{paths.Display(file.Path)} is {problems[file.Path]}; it was not loaded")));
            }
        }
        var target = usable?.Epoch ?? -1;
        if (run.Epochs.Any(e => e.Epoch > target))
            events.Add(new RunRewound(target, $"the resume state of epoch {run.Epochs[^1].Epoch} could not be used"));
        events.Add(new RunResumed(target, now));
        effects.Add(new GoOnFrom(target));
        return new Decision(events, effects);
    }

    /// <summary>A member was lost while its epoch trained: restart the epoch with the others within
    /// max-restarts and min-workers, or fail naming the limit.</summary>
    public static Decision LostMidEpoch(RunState run, SupervisorSettings s, string worker, int epoch, string reason, IReadOnlyList<string> members)
    {
        var remaining = members.Count;
        var lost = new WorkerLost(worker, epoch, reason, remaining);
        var warning = new Report(new RunProgress.MembersChanged(MemberChange.LostDuringEpoch, worker, epoch, members, reason));
        if (remaining < s.MinWorkers)
            return Decision.Of([lost], warning, new FailRun(
                $"worker {worker} {reason} during epoch {epoch + 1}; {remaining} worker(s) remain, fewer than min-workers = {s.MinWorkers}"));
        if (run.Restarts >= s.MaxRestarts)
            return Decision.Of([lost], warning, new FailRun(
                $"worker {worker} {reason} during epoch {epoch + 1}, and the restart budget is used up (max-restarts = {s.MaxRestarts})"));
        var restart = new EpochRestarted(epoch, remaining, run.Restarts + 1, s.MaxRestarts);
        return Decision.Of([lost, restart], warning,
            new Report(new RunProgress.EpochRestarting(epoch, remaining, restart.Restart, restart.MaxRestarts)),
            new RestartEpoch(epoch));
    }

    /// <summary>A worker was lost between epochs (while files were written, states loaded, the model evaluated): a member
    /// is recorded and the next epoch re-splits the data; a joiner that had not joined yet is only mentioned.</summary>
    public static Decision LostBetweenEpochs(RunState run, SupervisorSettings s, string worker, string reason, bool wasMember, IReadOnlyList<string> members)
    {
        var remaining = members.Count;
        if (!wasMember) return Decision.Of([], new Report(new RunProgress.MembersChanged(MemberChange.LostBeforeJoining, worker, run.NextEpoch, members, reason)));
        var warning = new Report(new RunProgress.MembersChanged(MemberChange.LostBetweenEpochs, worker, run.NextEpoch, members, reason));
        var lost = new WorkerLost(worker, run.NextEpoch, reason, remaining);
        return remaining < s.MinWorkers
            ? Decision.Of([lost], warning, new FailRun($"worker {worker} {reason}; {remaining} worker(s) remain, fewer than min-workers = {s.MinWorkers}"))
            : Decision.Of([lost], warning);
    }

    /// <summary>Joiners that loaded the members' state become members from <paramref name="epoch"/>.</summary>
    public static Decision Joined(IReadOnlyList<string> joiners, IReadOnlyList<string> members, int epoch)
    {
        var all = members.Concat(joiners).ToList();
        var count = all.Count;
        return new Decision(
            joiners.Select(j => (IRunEvent)new WorkerJoined(j, epoch, count)).ToList(),
            joiners.Select(j => (SupervisorEffect)new Report(new RunProgress.MembersChanged(MemberChange.Joined, j, epoch, all, null))).ToList());
    }

    /// <summary>
    /// At the end, EarlyStopping restores the best weights of <paramref name="epoch"/>: their file, or if it does not verify
    /// the newest valid regular checkpoint (<paramref name="lookup"/> says what was found). Records the damage and the
    /// restoration (once: a resumed end does not record it again); fails when nothing can be loaded.
    /// </summary>
    public static Decision RestoreBest(RunState run, RunPaths paths, int epoch, string source, StoredFile best, Store.BestWeightsLookup lookup)
    {
        var events = new List<IRunEvent>();
        var effects = new List<SupervisorEffect>();
        if (lookup.Problem is { } problem)
        {
            events.Add(new CheckpointCorrupted(best.Path, best.Sha256, problem));
            effects.Add(new Report(new RunProgress.Warning($"the best weights {paths.Display(best.Path)} are {problem}; falling back to the newest valid checkpoint")));
            if (!lookup.Found)
            {
                effects.Add(new FailRun($"the best weights ({lookup.Path}) are {problem}, and no valid checkpoint is left to restore"));
                return new Decision(events, effects);
            }
        }
        if (run.Restored is null) events.Add(new BestWeightsRestored(epoch, source));
        if (lookup.ReadError is { } error) effects.Add(new FailRun($"the weights to restore ({lookup.Path}) could not be read: {error}"));
        return new Decision(events, effects);
    }

    /// <summary>Whether an epoch may begin with <paramref name="members"/>; null: yes, else why not.</summary>
    public static string? CannotBegin(int members, SupervisorSettings s) =>
        members < s.MinWorkers ? $"{members} worker(s) remain, fewer than min-workers = {s.MinWorkers}" : null;

    /// <summary>After <paramref name="epoch"/> (-1: none): true when the run is at its end (the callbacks stopped it, or the epoch limit).</summary>
    public static bool IsLastEpoch(int epoch, bool stopTraining, SupervisorSettings s) => stopTraining || epoch + 1 >= s.Epochs;
}
