using Coordinator.Cli.History;
using Coordinator.Core.Reporting;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.History.Tests;

/// <summary>The pure part: journal entries in memory to typed entries and text lines.</summary>
public sealed class HistoryTimelineTests
{
    private const string Folder = "/runs/r9";

    /// <summary>An event type this history has no case for (as a later release may add).</summary>
    private sealed record SomethingNew(int Answer) : IRunEvent;

    private static RunJournalContents Journal(params IRunEvent[] events) =>
        new(Folder, "run-r9", events.Select((e, i) => JournalEntry.Of(i + 1, e)).ToList());

    private static string Sha(char c) => new(c, 64);

    private static StoredFile Best(int epoch, char sha) => new($"/runs/r9/state/best-e{epoch:D4}.weights", Sha(sha), 10);

    /// <summary>A verifier that answers from a table and records what it was asked.</summary>
    private sealed class FakeFiles(Dictionary<string, string> answers)
    {
        public List<string> Asked { get; } = [];

        public string Verify(string path, string sha)
        {
            Asked.Add(path);
            return answers.GetValueOrDefault(path, FileCheck.Ok);
        }
    }

    [Fact]
    public void A_rewind_supersedes_the_later_epochs_before_it_and_the_failure_counts_the_epochs_kept()
    {
        var journal = Journal(
            ScriptedRuns.Started("r9", epochs: 5),
            new EpochCompleted(0, 0.1, ScriptedRuns.Logs(1, 0.5, 1, 0.5, 0.1), 1, 10, 100, "{}"),
            new EpochCompleted(1, 0.1, ScriptedRuns.Logs(0.9, 0.6, 0.9, 0.6, 0.1), 1, 10, 100, "{}"),
            new LearningRateChanged(1, 0.1, 0.02, "plateau", "reduce-lr-on-plateau"),
            new EpochCompleted(2, 0.02, ScriptedRuns.Logs(0.8, 0.7, 0.8, 0.7, 0.02), 1, 10, 100, "{}"),
            new TrainingStopped(2, 7, "NonFiniteLoss", "terminate-on-nan", "batch 7: loss is nan"),
            new RunResumed(2, ScriptedRuns.StartedAt.AddMinutes(5)),
            new CheckpointCorrupted("/runs/r9/state/resume-e0002-w0.state", Sha('a'), "altered: sha256 bbbb"),
            new RunRewound(0, "the resume state of epoch 3 did not verify"),
            new EpochCompleted(1, 0.1, ScriptedRuns.Logs(0.85, 0.65, 0.85, 0.65, 0.1), 1, 10, 100, "{}"),
            new RunFailed("worker 1 failed: out of memory", 30));

        var history = HistoryTimeline.Build(journal, null);

        var epochs = history.Entries.OfType<EpochEntry>().Select(e => (e.Epoch, e.Superseded)).ToArray();
        Assert.Equal([(0, false), (1, true), (2, true), (1, false)], epochs);
        Assert.True(history.Entries.OfType<LrChangedEntry>().Single().Superseded);
        Assert.True(history.Entries.OfType<TrainingStoppedEntry>().Single().Superseded);
        Assert.Equal(2, history.Entries.OfType<RunFailedEntry>().Single().EpochsRun);

        var lines = HistoryText.Lines(history);
        Assert.Equal(
        [
            "run r9: 11 events in /runs/r9/journal.db",
            "started 2026-01-02 03:04:05Z: 2 workers, sync gradients, seed 42, 5 epochs, lr 0.05, 9610 parameters, config 0123456789ab",
            "Epoch 1/5  loss 1.0000  acc 0.5000  val_loss 1.0000  val_acc 0.5000  lr 0.1  1.0s",
            "Epoch 2/5  loss 0.9000  acc 0.6000  val_loss 0.9000  val_acc 0.6000  lr 0.1  1.0s [superseded]",
            "  lr 0.1 -> 0.02 (plateau, reduce-lr-on-plateau) [superseded]",
            "Epoch 3/5  loss 0.8000  acc 0.7000  val_loss 0.8000  val_acc 0.7000  lr 0.02  1.0s [superseded]",
            "  training stopped at epoch 3, batch 7 by terminate-on-nan (NonFiniteLoss): batch 7: loss is nan [superseded]",
            "resumed from epoch 3 at 2026-01-02 03:09:05Z (continuing with epoch 4)",
            "checkpoint corrupted: state/resume-e0002-w0.state (expected sha256 aaaaaaaaaaaa): altered: sha256 bbbb",
            "rewound to epoch 1 (epochs from 2 are trained again): the resume state of epoch 3 did not verify",
            "Epoch 2/5  loss 0.8500  acc 0.6500  val_loss 0.8500  val_acc 0.6500  lr 0.1  1.0s",
            "failed after 2 epochs in 30.0s: worker 1 failed: out of memory",
        ], lines);
    }

    [Fact]
    public void Only_files_the_journal_still_holds_are_checked()
    {
        StoredFile State(int epoch, int worker, char sha) => new($"/runs/r9/state/resume-e{epoch:D4}-w{worker}.state", Sha(sha), 10);
        var journal = Journal(
            ScriptedRuns.Started("r9"),
            new CheckpointSaved(0, null, "/runs/r9/checkpoints/last.weights", Sha('1'), 10, "val_loss", 0.9, "last"),
            new BestWeightsSaved(0, new StoredFile("/runs/r9/state/best.weights", Sha('2'), 10)),
            new ResumeStateSaved(0, [State(0, 0, '3'), State(0, 1, '4')]),
            new CheckpointSaved(1, null, "/runs/r9/checkpoints/last.weights", Sha('5'), 10, "val_loss", 0.8, "last"),
            new BestWeightsSaved(1, new StoredFile("/runs/r9/state/best.weights", Sha('6'), 10)),
            new ResumeStateSaved(1, [State(1, 0, '7'), State(1, 1, '8')]),
            new ResumeStateDeleted(0),
            new RunCompleted(RunStatus.Completed, FinalMetrics.Of(0.5, 0.9, 0.6, 0.85), "/runs/r9/final.weights", Sha('9'), 10, 4));
        var files = new FakeFiles(new()
        {
            ["/runs/r9/state/resume-e0001-w1.state"] = FileCheck.Missing,
            ["/runs/r9/final.weights"] = FileCheck.Altered,
        });

        var history = HistoryTimeline.Build(journal, files.Verify);

        Assert.Equal(
        [
            "/runs/r9/checkpoints/last.weights", "/runs/r9/state/best.weights",
            "/runs/r9/state/resume-e0001-w0.state", "/runs/r9/state/resume-e0001-w1.state", "/runs/r9/final.weights",
        ], files.Asked);
        var checks = history.Entries.SelectMany(e => e switch
        {
            CheckpointSavedEntry c => [c.File.Check],
            BestWeightsSavedEntry b => [b.File.Check],
            ResumeStateSavedEntry r => r.Files.Select(f => f.Check),
            RunCompletedEntry c => [c.FinalModel.Check],
            _ => [],
        }).ToArray();
        Assert.Equal(
        [
            FileCheck.Replaced, FileCheck.Replaced, FileCheck.Deleted, FileCheck.Deleted,
            FileCheck.Ok, FileCheck.Ok, FileCheck.Ok, FileCheck.Missing, FileCheck.Altered,
        ], checks);

        var lines = HistoryText.Lines(history, all: true);
        Assert.Equal("run r9: 9 events in /runs/r9/journal.db", lines[0]);
        Assert.Contains($"  checkpoint saved: checkpoints/last.weights  sha256 555555555555  val_loss 0.8000  (last)", lines);
        Assert.Contains("  best weights saved: state/best.weights  sha256 666666666666", lines);
        Assert.Contains("  resume state saved: state/resume-e0001-w0.state, state/resume-e0001-w1.state [missing]", lines);
        Assert.Contains("  resume state of epoch 1 deleted", lines);
        Assert.EndsWith("; final model final.weights  sha256 999999999999 [altered]", lines[^1]);
        Assert.StartsWith("completed after 0 epochs in 4.0s: loss 0.5000  acc 0.9000  val_loss 0.6000  val_acc 0.8500", lines[^1]);

        // Without --all the routine bookkeeping is left out, unless a file of it failed its check.
        var shown = HistoryText.Lines(history);
        Assert.Equal("run r9: 9 events in /runs/r9/journal.db (4 resume-state and best-weights entries not shown; --all shows them)", shown[0]);
        Assert.Equal(
        [
            "  checkpoint saved: checkpoints/last.weights  sha256 111111111111  val_loss 0.9000  (last)",
            "  checkpoint saved: checkpoints/last.weights  sha256 555555555555  val_loss 0.8000  (last)",
            "  resume state saved: state/resume-e0001-w0.state, state/resume-e0001-w1.state [missing]",
        ], shown.Skip(2).SkipLast(1));
    }

    [Fact]
    public void Best_weights_the_run_superseded_are_shown_as_deleted_not_missing()
    {
        var journal = Journal(
            ScriptedRuns.Started("r9"),
            new BestWeightsSaved(0, Best(0, '1')),
            new BestWeightsSaved(1, Best(1, '2')),
            new BestWeightsDeleted(0, Best(0, '1').Path),
            new BestWeightsSaved(2, Best(2, '3')),
            new BestWeightsDeleted(1, Best(1, '2').Path));
        // On disk, as a healthy run leaves it: only the newest best weights are there.
        var files = new FakeFiles(new()
        {
            [Best(0, '1').Path] = FileCheck.Missing,
            [Best(1, '2').Path] = FileCheck.Missing,
        });

        var history = HistoryTimeline.Build(journal, files.Verify);

        Assert.Equal([Best(2, '3').Path], files.Asked);
        Assert.Equal([FileCheck.Deleted, FileCheck.Deleted, FileCheck.Ok], history.Entries.OfType<BestWeightsSavedEntry>().Select(b => b.File.Check));
        var lines = HistoryText.Lines(history, all: true);
        Assert.DoesNotContain(lines, l => l.Contains("[missing]"));
        Assert.Contains("  best weights of epoch 1 deleted: state/best-e0000.weights (superseded by better ones)", lines);
        Assert.Contains("  best weights of epoch 2 deleted: state/best-e0001.weights (superseded by better ones)", lines);
        // Routine: without --all they are counted in the header, not shown.
        Assert.Equal("run r9: 6 events in /runs/r9/journal.db (5 resume-state and best-weights entries not shown; --all shows them)",
            HistoryText.Lines(history)[0]);
    }

    [Fact]
    public void In_a_journal_from_before_deletions_were_recorded_superseded_best_weights_count_as_deleted()
    {
        var journal = Journal(
            ScriptedRuns.Started("r9"),
            new BestWeightsSaved(0, Best(0, '1')),
            new BestWeightsSaved(1, Best(1, '2')));
        var files = new FakeFiles(new() { [Best(0, '1').Path] = FileCheck.Missing, [Best(1, '2').Path] = FileCheck.Missing });

        var history = HistoryTimeline.Build(journal, files.Verify);

        // The newest was never superseded: its absence is a real problem.
        Assert.Equal([FileCheck.Deleted, FileCheck.Missing], history.Entries.OfType<BestWeightsSavedEntry>().Select(b => b.File.Check));
    }

    [Fact]
    public void Events_this_history_has_no_case_for_are_shown_by_name_with_their_data()
    {
        var journal = new RunJournalContents(Folder, "run-r9",
        [
            JournalEntry.Of(1, ScriptedRuns.Started("r9")),
            new JournalEntry(2, null, "something-new.v1", """{"answer":42}""", new SomethingNew(42)),
            new JournalEntry(3, null, "from-the-future.v3", """{"x":1}""", new UnrecognizedEvent("from-the-future.v3", "unknown manifest 'from-the-future.v3'")),
        ]);

        var history = HistoryTimeline.Build(journal, null);

        var other = Assert.IsType<OtherEntry>(history.Entries[1]);
        Assert.Equal(("SomethingNew", "something-new.v1", 42), (other.Event, other.Manifest, other.Data!.Value.GetProperty("answer").GetInt32()));
        var lines = HistoryText.Lines(history);
        Assert.Equal("(event SomethingNew) {\"answer\":42}", lines[2]);
        Assert.Equal("(event from-the-future.v3, not decoded: unknown manifest 'from-the-future.v3') {\"x\":1}", lines[3]);
        Assert.Contains("\"type\": \"other\"", HistoryJson.Serialize(history.Entries));
    }

    [Fact]
    public void The_epoch_line_is_trains_with_other_logs_after_it_and_nan_shown_as_nan()
    {
        var logs = ScriptedRuns.Logs(double.NaN, 0.5, 0.7, double.NaN, 0.01);
        logs["val_auc"] = 0.875;
        var history = HistoryTimeline.Build(Journal(ScriptedRuns.Started("r9", 80), new EpochCompleted(11, 0.01, logs, 65.2, 10, 100, "{}")), null);

        Assert.Equal("Epoch 12/80  loss nan  acc 0.5000  val_loss 0.7000  lr 0.01  65.2s  val_auc 0.8750", HistoryText.Lines(history)[2]);
        var json = HistoryJson.Serialize(history.Entries);
        Assert.Contains("\"loss\": null", json);
        Assert.Contains("\"epoch\": 11", json);
    }

    [Fact]
    public void Resume_from_the_start_and_rewind_to_the_start_read_so()
    {
        var lines = HistoryText.Lines(HistoryTimeline.Build(Journal(
            new RunResumed(-1, ScriptedRuns.StartedAt), new RunRewound(-1, "no resume state verified")), null));

        Assert.Equal("resumed from the start at 2026-01-02 03:04:05Z", lines[1]);
        Assert.Equal("rewound to the start: no resume state verified", lines[2]);
    }

    [Fact]
    public void An_empty_journal_says_so()
    {
        Assert.Equal(["run r9: no events in /runs/r9/journal.db"], HistoryText.Lines(HistoryTimeline.Build(Journal(), null)));
    }

    [Theory]
    [InlineData("/runs/r9/checkpoints/a.weights", "/runs/r9/checkpoints/a.weights")]
    [InlineData("checkpoints/a.weights", "/runs/r9/checkpoints/a.weights")]
    [InlineData("/old/place/r9/checkpoints/a.weights", "/runs/r9/checkpoints/a.weights")]
    [InlineData("/old/r9/place/r9/final.weights", "/runs/r9/final.weights")]
    [InlineData("/elsewhere/a.weights", "/elsewhere/a.weights")]
    [InlineData("/elsewhere/r9", "/elsewhere/r9")]
    public void Recorded_paths_resolve_into_the_run_folder_also_after_a_move(string recorded, string expected)
    {
        Assert.Equal(expected, HistoryTimeline.ResolvePath(recorded, Folder, "r9"));
    }

    [Fact]
    public void A_callback_warning_is_a_line_of_its_own_counting_epochs_from_0_in_json_and_from_1_on_screen()
    {
        var journal = Journal(
            ScriptedRuns.Started("r9", epochs: 5),
            new EpochCompleted(0, 0.1, ScriptedRuns.Logs(1, 0.5, double.NaN, 0.5, 0.1), 1, 10, 100, "{}"),
            new CallbackWarned(0, "early-stopping", "val_loss = nan at epoch 1 is not finite: taken as the best (Keras's first value)"));

        var history = HistoryTimeline.Build(journal, null);

        var warned = Assert.Single(history.Entries.OfType<CallbackWarnedEntry>());
        Assert.Equal((0, "early-stopping", "val_loss = nan at epoch 0 is not finite: taken as the best (Keras's first value)"), (warned.Epoch, warned.Source, warned.Message));
        Assert.Empty(history.Entries.OfType<OtherEntry>());
        Assert.Contains("  warning from early-stopping at epoch 1: val_loss = nan at epoch 1 is not finite: taken as the best (Keras's first value)",
            HistoryText.Lines(history));
        var json = HistoryJson.Serialize(history.Entries);
        Assert.Contains("\"type\": \"callback_warned\"", json);
        Assert.Equal(warned, Assert.Single(HistoryJson.DeserializeHistory(json).OfType<CallbackWarnedEntry>()));
    }
}
