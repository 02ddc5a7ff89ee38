using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision.Children;
using Coordinator.Actors.Supervision.Decider;
using Coordinator.Actors.Supervision.Status;
using Coordinator.Actors.Supervision.Store;
using Coordinator.Callbacks;
using Coordinator.Callbacks.State;
using static Coordinator.Actors.Events.RunEvents;
using static Coordinator.Actors.Supervision.SupervisorSteps;

namespace Coordinator.Actors.Supervision;

// Ending an epoch, one step per message: the files the callbacks asked for (each member's weights asked
// of the first member, stored off this thread), the members' resume states, then every event of the epoch
// in one batch (EpochEndDecider), then deletions and CSV loggers' rows.
public sealed partial class TrainingSupervisor
{
    private void EndEpoch(IReadOnlyList<WorkerReports.EpochTrained> reports)
    {
        var flight = _epoch!;
        Enter(SupervisorPhase.EndingEpoch);
        var ended = _engine.Aborted
            ? new EpochEnded(flight.Epoch, _engine.LearningRate, _engine.LearningRate, true, _engine.StopReason, new MetricLogs(), [])
            : _engine.EndEpoch(EpochAggregation.Logs(reports));
        flight.Decisions.AddRange(ended.Decisions);
        var plan = EpochEndDecider.Plan(flight.Epoch, ended, flight.Decisions, reports, flight.Clock.Elapsed.TotalSeconds,
            CallbackJsonContext.Serialize(_engine.SaveState()), _state, _settings);
        foreach (var warning in plan.Warnings) Report(new RunProgress.Warning(warning));
        Observe(ended.Decisions);
        flight.End = new EpochEndWork(plan);
        NextFile();
    }

    private void NextFile()
    {
        var work = _epoch!.End!;
        while (work.NextFile < work.Plan.Files.Count)
        {
            switch (work.Plan.Files[work.NextFile++])
            {
                case FileJob.Refused refused:
                    Fail(refused.Reason);
                    return;
                case FileJob.RecordDeletion deletion:
                    Record(EpochEndDecider.Saved(deletion, null, _state));
                    break;
                case var save:
                    AskFirst(new CaptureWeights(save), id => new WorkerCommands.CaptureWeights(id));
                    return;
            }
        }
        // Every member's state, but each distinct state handed over once: the first member sends its state,
        // the others its hash; only those that differ (a dropout generator of their own) send theirs too.
        AskFirst(new CaptureFirstState(work.Plan.Epoch), id => new WorkerCommands.CaptureTrainingState(id));
    }

    private void Record((IReadOnlyList<IRunEvent> Events, IReadOnlyList<string> Deletions) saved)
    {
        _epoch!.End!.Events.AddRange(saved.Events);
        _epoch.End.Deletions.AddRange(saved.Deletions);
    }

    private void EpochEndRound(MemberRound.Completed round)
    {
        switch (round.Purpose)
        {
            case CaptureWeights or CaptureFirstState or CaptureFinalWeights when round.Answers.Count == 0:
                // The first member was lost before it answered: ask the next one.
                AskFirst(round.Purpose, round.Purpose is CaptureFirstState
                    ? id => new WorkerCommands.CaptureTrainingState(id)
                    : id => new WorkerCommands.CaptureWeights(id));
                break;
            case CaptureWeights capture:
                var path = capture.Job is FileJob.SaveCheckpoint c ? c.Path : ((FileJob.SaveBestWeights)capture.Job).Path;
                Write(path, ((WorkerReports.WeightsCaptured)round.Answers[0]).Weights, file => new WeightsStored(capture.Job, file));
                break;
            case CaptureFirstState first:
                Write(_settings.ResumeStatePath(first.Epoch, 0), ((WorkerReports.TrainingStateCaptured)round.Answers[0]).State,
                    file => new FirstStateStored(first.Epoch, file));
                break;
            case HashStates hashes:
                var differing = round.Answered.Where((_, i) => ((WorkerReports.TrainingStateHashed)round.Answers[i]).Sha256 != hashes.First.Sha256).ToList();
                AskMembers(new CaptureDifferingStates(hashes.Epoch, hashes.First), differing, (id, _, _) => new WorkerCommands.CaptureTrainingState(id));
                break;
            case CaptureDifferingStates states:
                var ring = _members.Ring.ToList();
                var own = round.Answered.Select((w, i) => (Rank: ring.IndexOf(w), State: ((WorkerReports.TrainingStateCaptured)round.Answers[i]).State)).ToList();
                var (paths, settings, members) = (_paths, _settings, ring.Count);
                InStore(store => EpochEndDecider.ResumeState(states.Epoch, members, states.First,
                        own.ToDictionary(o => o.Rank, o => StoreJobs.Write(store, paths, settings.ResumeStatePath(states.Epoch, o.Rank), o.State))),
                    saved => new ResumeStateStored(saved));
                break;
            default:
                FinishRound(round);
                break;
        }
    }

    private void Write(string path, byte[] data, Func<StoredFile, object> then)
    {
        var paths = _paths;
        InStore(store => StoreJobs.Write(store, paths, path, data), then);
    }

    private void EpochEndSteps()
    {
        Command<WeightsStored>(stored =>
        {
            Record(EpochEndDecider.Saved(stored.Job, stored.File, _state));
            NextFile();
        });
        Command<FirstStateStored>(first => AskMembers(new HashStates(first.Epoch, first.File), _members.Ring.Skip(1).ToList(),
            (id, _, _) => new WorkerCommands.HashTrainingState(id)));
        Command<ResumeStateStored>(stored =>
        {
            var work = _epoch!.End!;
            var (last, deletions) = EpochEndDecider.Close(work.Plan.Epoch, work.Events, work.Deletions, stored.Saved, _state, _settings);
            PersistThen([.. work.Events, .. last], () => EpochStored(work.Plan, deletions));
        });
    }

    private void EpochStored(EpochEndDecider.EpochEndPlan plan, IReadOnlyList<(string Path, bool UserPlacedAllowed)> deletions)
    {
        var (paths, settings) = (_paths, _settings);
        if (deletions.Count > 0) InStore(store => StoreJobs.Delete(store, paths, deletions), w => new StoreWarnings(w));
        if (plan.LogLines.Count > 0) InStore(store => StoreJobs.AppendLogLines(store, settings, plan.LogLines), w => new StoreWarnings(w));
        Report(new RunProgress.EpochSummarized(plan.Epoch, plan.Logs, plan.Seconds, plan.Decisions));
        ContinueAfter(plan.Epoch);
    }
}
