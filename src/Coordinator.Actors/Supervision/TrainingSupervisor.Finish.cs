using Coordinator.Core.Reporting;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision.Children;
using Coordinator.Actors.Supervision.Decider;
using Coordinator.Actors.Supervision.Status;
using Coordinator.Actors.Supervision.Store;
using static Coordinator.Actors.Events.RunEvents;
using static Coordinator.Actors.Supervision.SupervisorSteps;

namespace Coordinator.Actors.Supervision;

// The end (best weights, final evaluation, final model, report), failures, and journal faults.
public sealed partial class TrainingSupervisor
{
    // ---- Phase: the end: restore best weights, evaluate the model kept, write it, report.
    private void Finish()
    {
        Enter(SupervisorPhase.Finishing);
        var ended = _engine.EndTrain();
        Observe(ended.Decisions);
        if (ended.RestoredWeightsEpoch is not { } epoch || _state.BestWeights is not { } best)
        {
            EvaluateFinal();
            return;
        }
        var source = ended.Decisions.OfType<Callbacks.BestWeightsRestored>().First().Source;
        var (paths, run) = (_paths, _state);
        InStore(store => StoreJobs.FindBestWeights(store, paths, run, best.File), lookup => new BestWeightsFound(epoch, source, best.File, lookup));
    }

    private void FinishSteps()
    {
        Command<BestWeightsFound>(found =>
        {
            var decision = SupervisorDecider.RestoreBest(_state, _paths, found.Epoch, found.Source, found.Best, found.Lookup);
            PersistThen(decision.Events, () =>
            {
                foreach (var effect in decision.Effects) Apply(effect);
                if (found.Lookup.Weights is { } weights && !decision.Effects.OfType<SupervisorEffect.FailRun>().Any())
                    AskMembers(new LoadBestWeights(), _members.Ring, (id, _, _) => new WorkerCommands.LoadWeights(id, weights));
            });
        });
        Command<FinalModelStored>(stored =>
        {
            var status = _state.Stop is null ? RunStatus.Completed : RunStatus.Stopped;
            PersistThen([new RunCompleted(status, stored.Final, stored.File.Path, stored.File.Sha256, stored.File.Bytes, _wall.Elapsed.TotalSeconds)],
                () => Done(status));
        });
    }

    private void EvaluateFinal() =>
        AskMembers(new SupervisorSteps.EvaluateFinal(), _members.Ring, (id, rank, count) => new WorkerCommands.Evaluate(id, rank, count), giveUpOnLoss: true);

    private void FinishRound(MemberRound.Completed round)
    {
        switch (round.Purpose)
        {
            case LoadBestWeights:
                if (round.Answers.Cast<WorkerReports.WeightsLoaded>().Select(l => l.ParameterHash).Distinct().Count() > 1)
                    Report(new RunProgress.Warning("replicas differ after loading the best weights"));
                EvaluateFinal();
                break;
            case SupervisorSteps.EvaluateFinal when round.Interrupted:
                EvaluateFinal(); // the evaluation is split by rank: ask the remaining members again
                break;
            case SupervisorSteps.EvaluateFinal:
                var final = EpochAggregation.Final(round.Answers.Cast<WorkerReports.Evaluated>().ToList());
                AskFirst(new CaptureFinalWeights(final), id => new WorkerCommands.CaptureWeights(id));
                break;
            case CaptureFinalWeights capture:
                Write(_settings.FinalModelPath, ((WorkerReports.WeightsCaptured)round.Answers[0]).Weights, file => new FinalModelStored(capture.Final, file));
                break;
        }
    }

    /// <summary>The run is over: every worker is told (they stop); once the store's work is done, the run's end is reported.</summary>
    private void Done(RunStatus outcome, string? error = null)
    {
        Timers.CancelAll();
        StopChildren();
        _phase = SupervisorPhase.Done;
        Become(() =>
        {
            // A worker that registers after the end (a retry, a late node) is told so, and stops.
            Command<WorkerReports.RegisterWorker>(_ => Sender.Tell(new WorkerCommands.RunEnded(Version, outcome)));
            Command<GetRunStatus>(_ => Sender.Tell(Status()));
            Command<StoreWarnings>(ReportWarnings);
            // The summary needs the whole history, which the bounded state does not hold: a child reads it back.
            Command<StoreDrained>(d => Context.ActorOf(RunHistoryReader.Props(_settings, _progress, d.Error, Finished(d.Error)), $"history-{++_nextRequest}"));
            Command<object>(_ => { });
        });
        foreach (var worker in _members.Everyone) worker.Tell(new WorkerCommands.RunEnded(Version, outcome));
        _files.Drained().PipeTo(Self, success: () => new StoreDrained(error));
    }

    private void StopChildren()
    {
        if (_epoch is { } flight) Context.Stop(flight.Barrier);
        if (_round is { } round) Context.Stop(round.Actor);
        (_epoch, _round) = (null, null);
    }

    private void Fail(string reason)
    {
        _log.Error("run {0} failed: {1}", _settings.RunId, reason);
        Timers.CancelAll();
        StopChildren();
        PersistThen([new RunFailed(reason, _wall.Elapsed.TotalSeconds)], () => Done(RunStatus.Failed));
    }

    // The run cannot be read back (a journal or snapshot store that did not start, an event that cannot be
    // read): report it at once, in one line, rather than after its wait for a report. Akka stops this
    // actor after this call; nothing was decided, so nothing is persisted. The base would log a stack trace;
    // a subscriber prints the line, so the log only has it at info level.
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        var text = $"run {_settings.RunId}: its journal could not be read back ({PersistenceId}): {reason.GetBaseException().Message.TrimEnd('.')}";
        _log.Info(text);
        Report(new RunProgress.RecoveryFailed(text));
    }

    // The journal cannot be written: stop deciding (nothing more is persisted), report what failed
    // with the history written so far, and leave the actor alive until the report is out.
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
        StopAfterJournalFault($"the journal could not be written ({@event.GetType().Name}, sequence {sequenceNr}): {cause.Message}");

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr) =>
        StopAfterJournalFault($"the journal rejected {@event.GetType().Name} (sequence {sequenceNr}): {cause.Message}");

    private void StopAfterJournalFault(string message)
    {
        if (_phase == SupervisorPhase.JournalFaulted) return; // a rejected batch calls back once per event: report the first
        _phase = SupervisorPhase.JournalFaulted;
        _log.Error("run {0}: {1}", _settings.RunId, message);
        Timers.CancelAll();
        Become(() =>
        {
            Command<GetRunStatus>(_ => Sender.Tell(Status()));
            Command<object>(_ => { });
        });
        // Akka.Persistence stops this actor after a journal failure, and its children with it, so
        // the reader that reports the run must not be a child; it starts once the store's work is done.
        var (system, reader) = (Context.System, RunHistoryReader.Props(_settings, _progress, message, Finished(message)));
#pragma warning disable AK1008
        _files.Drained().ContinueWith(_ => system.ActorOf(reader), TaskScheduler.Default);
#pragma warning restore AK1008
    }

    /// <summary>What the bounded state alone can say (if the journal cannot be read back).</summary>
    private RunProgress.RunFinished Finished(string? error = null) =>
        new(RunSummaries.From(_state, _settings, error), _state.Epochs.Select(e => new RunProgress.EpochLog(e.Epoch, e.Logs)).ToList());
}
