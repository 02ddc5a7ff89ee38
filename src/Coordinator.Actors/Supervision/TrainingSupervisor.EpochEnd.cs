using Akka.Actor;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Callbacks;
using Coordinator.Callbacks.State;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision;

// Ending an epoch. Files first (checkpoints, best weights, resume states: each stored atomically),
// then every event of the epoch in one batch, then deletions. A crash before the batch trains the
// epoch again with the same result; a crash after it resumes from this epoch. CSV loggers' rows
// are appended after the batch too.
public sealed partial class TrainingSupervisor
{
    private void EndEpoch(int epoch)
    {
        var reports = _reports.Values.OrderBy(r => r.Worker).ToList();
        if (reports.Select(r => r.ParameterHash).Distinct().Count() > 1)
            Report(new RunProgress.Warning($"epoch {epoch + 1}: the replicas differ after synchronisation ({string.Join(", ", reports.Select(r => r.ParameterHash))})"));

        var ended = _engine.Aborted
            ? new EpochEnded(epoch, _engine.LearningRate, _engine.LearningRate, true, _engine.StopReason, new MetricLogs(), [])
            : _engine.EndEpoch(EpochAggregation.Logs(reports));
        _epochDecisions.AddRange(ended.Decisions);
        foreach (var d in ended.Decisions) Observe(d);

        var seconds = _epochClock.Elapsed.TotalSeconds;
        var logs = ended.Logs.ToDictionary(kv => kv.Key, kv => kv.Value);
        var events = new List<IRunEvent>
        {
            new EpochCompleted(epoch, ended.LearningRate, logs, seconds,
                reports.Max(r => r.Steps), reports.Max(r => r.BytesSent), CallbackJsonContext.Serialize(_engine.SaveState())),
        };
        foreach (var w in _epochDecisions.OfType<CallbackWarning>())
            events.Add(new CallbackWarned(epoch, w.Source, w.Message));
        foreach (var c in _epochDecisions.OfType<Callbacks.LearningRateChanged>())
            events.Add(new Events.RunEvents.LearningRateChanged(c.Epoch, c.From, c.To,
                c.Reason == LearningRateChangeReason.Plateau ? "plateau" : "schedule", c.Source));
        if (ended.StopTraining && _engine.StopReason is { } reason)
        {
            var stop = _epochDecisions.OfType<StopRequested>().First();
            events.Add(new TrainingStopped(epoch, stop.Batch, reason.Kind.ToString(), reason.Source, reason.Message));
        }

        var deletions = new List<string>();
        // EarlyStopping may mark the same epoch twice (Keras sets best_weights, then improves on them): write it once.
        var work = new Queue<CallbackDecision>(_epochDecisions
            .Where(d => d is CheckpointRequested or CheckpointDeletionRequested || d is BestWeightsMarked && ReferenceEquals(d, _epochDecisions.OfType<BestWeightsMarked>().Last())));
        var decisions = EpochDecisions.From(_epochDecisions);
        var logLines = _epochDecisions.OfType<LogLineWriteRequested>().ToList();
        WriteFiles(work, events, deletions, () => WriteResumeStates(epoch, events, () =>
        {
            var old = _state.ResumeStates.Where(r => r.Epoch <= epoch - _settings.KeepResumeStates).ToList();
            events.AddRange(old.Select(r => new ResumeStateDeleted(r.Epoch)));
            PersistThen(events, () =>
            {
                foreach (var path in deletions) TryDelete(path, userPlacedAllowed: events.OfType<CheckpointDeleted>().Any(d => d.Path == path));
                foreach (var path in old.SelectMany(r => r.Files.Select(f => f.Path)).Distinct()) TryDelete(path);
                foreach (var line in logLines) WriteLogLine(line);
                Report(new RunProgress.EpochSummarized(epoch, logs, seconds, decisions));
                ContinueAfter(epoch);
            });
        }));
    }

    private void WriteFiles(Queue<CallbackDecision> work, List<IRunEvent> events, List<string> deletions, Action then)
    {
        if (!work.TryDequeue(out var decision))
        {
            then();
            return;
        }
        switch (decision)
        {
            case CheckpointRequested save:
                // Checked at start-up too; a template can still render to a name the check did not see.
                var (path, problem) = _paths.CheckpointTarget(save.Path);
                if (path is null)
                {
                    Fail($"{save.Source}: checkpoint file \"{save.Path}\" {problem}");
                    return;
                }
                StoreWeights(path, written =>
                {
                    events.Add(new CheckpointSaved(save.Epoch, save.Batch, written.Path, written.Sha256, written.Bytes, save.Monitor,
                        save.MonitorValue, save.Kind == CheckpointKind.Last ? "last" : "regular"));
                    WriteFiles(work, events, deletions, then);
                });
                break;
            case BestWeightsMarked marked:
                // A name per epoch: the file the journal points to is never overwritten before the
                // new one is recorded; the previous one goes once the batch is stored.
                StoreWeights(_settings.BestWeightsPath(marked.Epoch), written =>
                {
                    events.Add(new BestWeightsSaved(marked.Epoch, written));
                    if (_state.BestWeights is { } previous && previous.File.Path != written.Path)
                    {
                        events.Add(new BestWeightsDeleted(previous.Epoch, previous.File.Path));
                        deletions.Add(previous.File.Path);
                    }
                    WriteFiles(work, events, deletions, then);
                });
                break;
            case CheckpointDeletionRequested delete:
                // Recorded as the checkpoint it deletes was (an older journal recorded absolute paths).
                var target = Path.GetFullPath(Path.Combine(_paths.CheckpointFolder, delete.Path));
                var recorded = _state.Checkpoints.FirstOrDefault(c => !c.Deleted && _paths.Resolve(c.Saved.Path) == target)?.Saved.Path
                               ?? _paths.Record(target);
                events.Add(new CheckpointDeleted(delete.Epoch, recorded, delete.Why));
                deletions.Add(recorded);
                WriteFiles(work, events, deletions, then);
                break;
            default:
                WriteFiles(work, events, deletions, then);
                break;
        }
    }

    // Every member's state, but each distinct state handed over once: the first member sends its state,
    // the others its hash; only those that differ (a dropout generator of their own) send theirs too.
    // So with identical replicas no actor receives more than one state per epoch.
    private void WriteResumeStates(int epoch, List<IRunEvent> events, Action then) =>
        AskFirst(id => new WorkerCommands.CaptureTrainingState(id), (WorkerReports.TrainingStateCaptured r) => r.RequestId, first =>
        {
            if (Store(_settings.ResumeStatePath(epoch, 0), first.State) is not { } firstFile) return;
            AskMembers(_members.Ring.Skip(1).ToList(), (id, _, _) => new WorkerCommands.HashTrainingState(id),
                (WorkerReports.TrainingStateHashed r) => r.RequestId, (IReadOnlyList<IActorRef> hashed, IReadOnlyList<WorkerReports.TrainingStateHashed> hashes) =>
            {
                var differing = hashed.Where((_, i) => hashes[i].Sha256 != firstFile.Sha256).ToList();
                AskMembers(differing, (id, _, _) => new WorkerCommands.CaptureTrainingState(id),
                    (WorkerReports.TrainingStateCaptured r) => r.RequestId, (IReadOnlyList<IActorRef> sent, IReadOnlyList<WorkerReports.TrainingStateCaptured> captured) =>
                {
                    var ring = _members.Ring.ToList();
                    var ownFiles = new Dictionary<IActorRef, StoredFile>();
                    for (var i = 0; i < captured.Count; i++)
                    {
                        if (Store(_settings.ResumeStatePath(epoch, ring.IndexOf(sent[i])), captured[i].State) is not { } file) return;
                        ownFiles[sent[i]] = file;
                    }
                    // One file per rank, in ring order; members whose state is the first's share its file.
                    var files = ring.Select(w => ownFiles.GetValueOrDefault(w, firstFile)).ToList();
                    events.Add(new ResumeStateSaved(epoch, files));
                    then();
                });
            });
        });

    /// <summary>Asks the first member for its weights and stores them at <paramref name="path"/>.</summary>
    private void StoreWeights(string path, Action<StoredFile> then) =>
        AskFirst(id => new WorkerCommands.CaptureWeights(id), (WorkerReports.WeightsCaptured w) => w.RequestId, captured =>
        {
            if (Store(path, captured.Weights) is { } file) then(file);
        });

    /// <summary>Writes to the store; on failure the run fails (nothing of this epoch is persisted) and null is returned.</summary>
    private StoredFile? Store(string path, byte[] data)
    {
        try
        {
            var (sha, bytes) = _store.Write(path, data);
            return new StoredFile(_paths.Record(path), sha, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail($"could not write {path} to the checkpoint store: {e.Message}");
            return null;
        }
    }

    // A crash can leave files behind: one a stored batch says is deleted, a checkpoint or resume
    // state whose batch was never stored, a temporary file of an interrupted write. The journal
    // names every file the run still needs; in the run's own folders, the rest goes.
    private void RemoveFilesTheJournalDoesNotKeep()
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in _state.Checkpoints.Where(c => !c.Deleted)) keep.Add(_paths.Resolve(c.Saved.Path));
        foreach (var f in _state.ResumeStates.SelectMany(r => r.Files)) keep.Add(_paths.Resolve(f.Path));
        if (_state.BestWeights is { } best) keep.Add(_paths.Resolve(best.File.Path));
        foreach (var folder in new[] { _settings.CheckpointFolder, _settings.StateFolder })
            foreach (var file in _store.List(folder))
                if (!keep.Contains(Path.GetFullPath(file))) TryDelete(file);
    }

    // A CSV logger's row, once the epoch it logs is stored (a crash before that trains the epoch
    // again, which must not log it twice). A relative file name is inside the run folder.
    private void WriteLogLine(LogLineWriteRequested line)
    {
        var path = LogPath(line.Path);
        try
        {
            _store.AppendLog(path, line.Header, line.Row, line.Truncate);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Report(new RunProgress.Warning($"{line.Source}: could not write {path}: {e.Message}"));
        }
    }

    // A row is appended just after its epoch is stored: a process that ended in between left it out.
    // It cannot be written again (the callbacks' logs of that epoch are gone), so say so.
    private void WarnAboutMissingLogRows(int lastStoredEpoch)
    {
        foreach (var logger in _settings.Callbacks.OfType<CsvLoggerSettings>())
        {
            var path = LogPath(logger.Filename);
            var lastRow = CsvLogRows.LastEpoch(ReadText(path), logger.Separator);
            if (lastRow < lastStoredEpoch)
                Report(new RunProgress.Warning(
                    $"{logger.Type}: {path} has no row for epoch {lastRow + 2}{(lastStoredEpoch > lastRow + 1 ? $" to {lastStoredEpoch + 1}" : "")} " +
                    "(the process ended after the epoch was stored, before its row was written); history.csv will have it"));
        }
    }

    private string ReadText(string path)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(_store.Read(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private string LogPath(string filename) => Path.IsPathRooted(filename) ? filename : Path.Combine(_settings.RunFolder, filename);

    // Deletes a file an event names. Never outside the run folder (a copied folder's journal must not
    // reach the original's files), except a checkpoint the user placed there with an absolute filepath.
    private void TryDelete(string recorded, bool userPlacedAllowed = false)
    {
        var path = _paths.Resolve(recorded);
        if (!_paths.IsInside(path) && !userPlacedAllowed)
        {
            Report(new RunProgress.Warning($"{path} is outside the run folder {_paths.Folder}; it was not deleted"));
            return;
        }
        try
        {
            _store.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Report(new RunProgress.Warning($"could not delete {path}: {e.Message}"));
        }
    }
}
