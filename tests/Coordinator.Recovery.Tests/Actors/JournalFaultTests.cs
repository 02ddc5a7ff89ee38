using Coordinator.Actors.TestSupport;
using Akka.Persistence;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Callbacks;
using Coordinator.Core.Reporting;
using Coordinator.Recovery.Tests.TestSupport;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests.Actors;

/// <summary>
/// Journal faults at actor level: the real supervisor and workers on linear replicas, their journal
/// Akka.Persistence.TestKit's TestJournal made to fail (or reject) writes from some point on. The run must
/// end failed, saying the journal could not be written; what was written must be intact; and once writes
/// pass again a new supervisor with the same persistence id must finish with an undisturbed run's decisions.
/// </summary>
public sealed class JournalFaultTests(ITestOutputHelper output) : JournalFaultKit(output)
{
    private static readonly CallbackSettings[] Callbacks =
    [
        new ReduceLrOnPlateauSettings { Monitor = "loss", Patience = 1, Factor = 0.5 },
        new EarlyStoppingSettings { Monitor = "loss", Patience = 4, RestoreBestWeights = true },
        new ModelCheckpointSettings("ckpt-{epoch:02d}-{loss:.3f}.weights") { Monitor = "loss", SaveBestOnly = true, SaveTopK = 2 },
    ];

    private readonly ITestOutputHelper _output = output;
    private readonly TempFolder _temp = new("actors");

    // As in the actor tests' ResumeTests: falls for a while, then wobbles, so plateaus, checkpoints, top-k
    // deletions and an early stop all happen. The loss improves at every epoch up to 6 (6 steps per epoch).
    private static double Loss(int worker, int step, int n) => Math.Max(0.5, 3.0 / (1 + step / 6)) + (step / 6 % 3) * 0.05 + worker * 0.001;

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private RunHarness Run(string id, int incarnation = 1) =>
        new(this, workers: 2, batchSize: 8, Callbacks, epochs: 30, loss: Loss, runId: id, folder: _temp.Combine(id), incarnation: incarnation);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _temp.Dispose();
    }

    /// <summary>The journal write that starts the fault: an epoch's batch (its first event is EpochCompleted) or the run's last event.</summary>
    private static Func<object, bool> FaultStart(string from) => from switch
    {
        "the end" => e => e is RunCompleted,
        _ => e => e is EpochCompleted c && c.Epoch >= int.Parse(from[6..]),
    };

    /// <summary>Runs <paramref name="id"/> with its journal writes failing from <paramref name="from"/> on (then
    /// passing again); what the observer was told at the end (null: nothing) and the harness, stopped.</summary>
    private async Task<(RunProgress.RunFinished? Finished, RunHarness Run)> RunWithFailingJournal(string id, string from)
    {
        var start = FaultStart(from);
        var down = false; // once down, the journal stays down for this run
        RunHarness run = null!;
        RunProgress.RunFinished? finished = null;
        await WithJournalWrite(write => write.FailIf(p => p.PersistenceId == "run-" + id && (down |= start(p.Payload))), () =>
        {
            run = Run(id);
            finished = run.AwaitEnd().Finished;
            if (finished is not null)
            {
                var more = run.Observer.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m as RunProgress.RunFinished).Count;
                Assert.True(more == 0, $"the observer was told RunFinished {1 + more} times");
            }
            run.Kill();
        });
        return (finished, run);
    }

    [Theory]
    [InlineData("epoch 0")]
    [InlineData("epoch 3")]
    [InlineData("the end")]
    public async Task Writes_failing_from_some_point_on_end_the_run_failed_saying_the_journal_could_not_be_written(string from)
    {
        var (expected, _) = Run(NewId("ref")).Finish();
        var (finished, _) = await RunWithFailingJournal(NewId("fail"), from);

        Assert.True(finished is not null, "the run ended without telling the observer how (no RunFinished): the supervisor stopped silently");
        var failed = finished!.Summary;
        _output.WriteLine($"failed run: {failed.EpochsRun} epochs, error: {failed.Error}");
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.StartsWith($"the journal could not be written ({(from == "the end" ? "RunCompleted" : "EpochCompleted")}, sequence ", failed.Error);
        // The history so far: every epoch whose batch was written.
        Assert.Equal(from == "the end" ? expected.EpochsRun : int.Parse(from[6..]), failed.EpochsRun);
        Assert.Equal(Enumerable.Range(0, failed.EpochsRun), finished.Epochs.Select(e => e.Epoch));
    }

    [Theory]
    [InlineData("epoch 0")]
    [InlineData("epoch 3")]
    [InlineData("the end")]
    public async Task After_writes_failed_the_written_events_are_intact_and_a_new_supervisor_resumes_once_they_pass(string from)
    {
        var (expected, _) = Run(NewId("ref")).Finish();
        Assert.Equal(RunStatus.Stopped, expected.Status);
        var id = NewId("fail");
        var (_, first) = await RunWithFailingJournal(id, from);

        // What was written is intact: started once, each epoch once, in order, and nothing of the failed batch.
        var written = first.Events();
        var epochs = from == "the end" ? expected.EpochsRun : int.Parse(from[6..]);
        Assert.Single(written.OfType<RunStarted>());
        Assert.Equal(Enumerable.Range(0, epochs), written.OfType<EpochCompleted>().Select(e => e.Epoch));
        Assert.Empty(written.OfType<RunCompleted>());
        Assert.Empty(written.OfType<RunFailed>()); // it could not be written either

        // Writes pass again: a new supervisor with the same persistence id continues and decides as the undisturbed run.
        var (resumed, _) = Run(id, incarnation: 2).Finish();
        Decisions.AssertSame(expected, resumed, _output);
        var events = first.Events();
        Assert.Equal(epochs - 1, Assert.Single(events.OfType<RunResumed>()).FromEpoch);
        Assert.Equal(Enumerable.Range(0, expected.EpochsRun), events.OfType<EpochCompleted>().Select(e => e.Epoch));
        Assert.Single(events.OfType<RunCompleted>());
        Assert.Empty(events.OfType<CheckpointCorrupted>());
    }

    [Fact]
    public async Task A_rejected_epoch_batch_ends_the_run_failed_and_a_new_supervisor_resumes_once_writes_pass()
    {
        var (expected, _) = Run(NewId("ref")).Finish();
        var id = NewId("reject");
        RunHarness first = null!;
        RunSummary failed = null!;
        await WithJournalWrite(write => write.RejectIf(p => p.PersistenceId == "run-" + id && p.Payload is EpochCompleted { Epoch: >= 3 }), () =>
        {
            first = Run(id);
            (failed, _) = first.Finish();
            first.Kill();
        });
        _output.WriteLine($"rejected: {failed.EpochsRun} epochs, error: {failed.Error}");
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.StartsWith("the journal rejected ", failed.Error);
        Assert.Equal(3, failed.EpochsRun);
        Assert.Equal(Enumerable.Range(0, 3), first.Events().OfType<EpochCompleted>().Select(e => e.Epoch));

        var (resumed, _) = Run(id, incarnation: 2).Finish();
        Decisions.AssertSame(expected, resumed, _output);
        Assert.Equal(Enumerable.Range(0, expected.EpochsRun), first.Events().OfType<EpochCompleted>().Select(e => e.Epoch));
    }

    /// <summary>
    /// Akka calls OnPersistRejected once per event of a rejected batch; the run is reported once,
    /// naming the batch's first event.
    /// </summary>
    [Fact]
    public async Task A_rejected_epoch_batch_is_reported_once_naming_its_first_event()
    {
        var id = NewId("reject-once");
        var reports = new List<RunProgress.RunFinished>();
        await WithJournalWrite(write => write.RejectIf(p => p.PersistenceId == "run-" + id && p.Payload is EpochCompleted { Epoch: >= 3 }), () =>
        {
            var run = Run(id);
            if (run.AwaitEnd().Finished is { } first) reports.Add(first);
            reports.AddRange(run.Observer.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => m as RunProgress.RunFinished).OfType<RunProgress.RunFinished>());
            run.Kill();
        });
        Assert.True(reports.Count == 1 && reports[0].Summary.Error!.StartsWith("the journal rejected EpochCompleted ", StringComparison.Ordinal),
            $"after one rejected batch the observer was told RunFinished {reports.Count} time(s):\n  " +
            string.Join("\n  ", reports.Select(r => r.Summary.Error)));
    }

    /// <summary>
    /// An epoch's files are written before its events; best weights go to a name per epoch, so when
    /// the epoch's batch cannot be written, every file the journal names still verifies.
    /// </summary>
    [Fact]
    public async Task After_an_epoch_batch_fails_every_file_named_in_the_journal_still_verifies()
    {
        var id = NewId("verify");
        RunHarness first = null!;
        await WithJournalWrite(write => write.FailIf(p => p.PersistenceId == "run-" + id && p.Payload is EpochCompleted { Epoch: >= 3 }), () =>
        {
            first = Run(id);
            first.AwaitEnd(); // how the failure is reported is tested above
            first.Kill();
        });
        var state = SqliteJournal.Fold(first.Events());
        Assert.Equal(2, state.BestWeights?.Epoch); // epoch 3 (index) improved too: its best weights were written, its events were not
        var named = state.Checkpoints.Where(c => !c.Deleted).Select(c => new StoredFile(c.Saved.Path, c.Saved.Sha256, c.Saved.Bytes))
            .Concat(state.ResumeStates.SelectMany(r => r.Files)).Append(state.BestWeights!.File);
        var problems = named.Select(f => (f.Path, Problem: FileCheck.Problem(f, first.Folder))).Where(x => x.Problem is not null).ToList();
        Assert.True(problems.Count == 0, "files named in the journal do not verify:\n  " + string.Join("\n  ", problems.Select(p => $"{p.Path}: {p.Problem}")));
    }

    /// <summary>
    /// Stops a run after epoch 5 with a journal fault, then puts files back at the names of what the journal
    /// records as deleted (a checkpoint save-top-k dropped, the resume states no longer kept): the folder as a
    /// process killed between storing an epoch's batch and deleting those files leaves it (EndEpoch deletes
    /// them only after the batch is stored). Then the run is resumed to its end.
    /// </summary>
    private async Task<(string DeletedCheckpoint, IReadOnlyList<string> DeletedResumeStates)> ResumeWithLeftoversOfDeletedFiles()
    {
        var id = NewId("leftover");
        RunHarness first = null!;
        await WithJournalWrite(write => write.FailIf(p => p.PersistenceId == "run-" + id && p.Payload is EpochCompleted { Epoch: >= 6 }), () =>
        {
            first = Run(id);
            first.AwaitEnd(); // how the failure is reported is tested above
            first.Kill();
        });
        var events = first.Events();
        Assert.Equal(6, events.OfType<EpochCompleted>().Count());
        var deletedCheckpoint = first.InFolder(events.OfType<CheckpointDeleted>().First().Path);
        var deletedStates = events.OfType<ResumeStateDeleted>().Select(d => d.Epoch)
            .SelectMany(e => Enumerable.Range(0, first.Settings.Workers).Select(w => first.Settings.ResumeStatePath(e, w))).ToList();
        Assert.NotEmpty(deletedStates);
        foreach (var path in deletedStates.Append(deletedCheckpoint)) File.WriteAllBytes(path, [1, 2, 3]);

        Assert.NotEqual(RunStatus.Failed, Run(id, incarnation: 2).Finish().Summary.Status);
        return (deletedCheckpoint, deletedStates);
    }

    /// <summary>
    /// TrainingSupervisor.Resume calls RemoveFilesOfDeletedCheckpoints for exactly this ("a crash after
    /// persisting a save-top-k deletion but before deleting the file leaves it behind"). REGRESSION in
    /// e29788d (bounded supervisor state): RunState.Bounded drops a checkpoint's entry on CheckpointDeleted
    /// (src/Coordinator.Actors/State/RunState.cs, Apply, CheckpointDeleted: RemoveAll instead of marking it
    /// Deleted), so RemoveFilesOfDeletedCheckpoints, which looks for entries marked Deleted, finds none.
    /// </summary>
    [Fact]
    public async Task A_checkpoint_file_the_journal_records_as_deleted_is_removed_when_the_run_resumes()
    {
        var (deletedCheckpoint, _) = await ResumeWithLeftoversOfDeletedFiles();
        Assert.False(File.Exists(deletedCheckpoint), $"{deletedCheckpoint}, recorded as deleted, is still there after the run ended");
    }

    /// <summary>
    /// Resume states recorded as deleted are deleted after the batch is stored; a process that dies in
    /// between leaves them, and the resumed run removes them (with every file the journal no longer names).
    /// </summary>
    [Fact]
    public async Task Resume_state_files_the_journal_records_as_deleted_are_removed_when_the_run_resumes()
    {
        var (_, deletedStates) = await ResumeWithLeftoversOfDeletedFiles();
        var left = deletedStates.Where(File.Exists).ToList();
        Assert.True(left.Count == 0, "resume states recorded as deleted are still on disk after the run ended:\n  " + string.Join("\n  ", left));
    }
}
