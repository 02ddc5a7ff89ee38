using System.Text.Json;
using Coordinator.Cli.History;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.History.Tests;

/// <summary><c>coordinator history</c> on a real journal written by a scripted run.</summary>
public sealed class HistoryCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The scripted run, then ckpt-02 altered and ckpt-03 deleted behind the run's back.</summary>
    private ScriptedRun TamperedRun()
    {
        var run = ScriptedRuns.StoppedAndResumed(_temp.Path);
        File.WriteAllText(run.Files["ckpt-02"].Path, "someone else's weights");
        File.Delete(run.Files["ckpt-03"].Path);
        return run;
    }

    [Fact]
    public void Prints_every_event_in_order_with_epochs_from_1_and_marks_files_that_no_longer_verify()
    {
        var run = TamperedRun();

        var result = Cli.Run("history", run.Folder);

        Assert.Equal(0, result.Exit);
        Assert.Equal("", result.Err);
        string[] expected =
        [
            $"run r1: 13 events in {run.Journal}",
            "started 2026-01-02 03:04:05Z: 2 workers, sync gradients, seed 42, 10 epochs, lr 0.05, 9610 parameters, config 0123456789ab",
            "Epoch 1/10  loss 1.5000  acc 0.5000  val_loss 0.8000  val_acc 0.7000  lr 0.05  1.5s",
            $"  checkpoint saved: checkpoints/ckpt-01.weights  sha256 {run.Sha("ckpt-01")}  val_loss 0.8000",
            "Epoch 2/10  loss 0.9000  acc 0.7500  val_loss 0.6000  val_acc 0.8000  lr 0.05  1.5s",
            "  lr 0.05 -> 0.01 (plateau, reduce-lr-on-plateau)",
            $"  checkpoint saved: checkpoints/ckpt-02.weights  sha256 {run.Sha("ckpt-02")}  val_loss 0.6000 [altered]",
            "  checkpoint deleted: checkpoints/ckpt-01.weights (save-top-k = 2: val_loss = 0.8 is no longer among the best)",
            "resumed from epoch 2 at 2026-01-02 04:04:05Z (continuing with epoch 3)",
            "Epoch 3/10  loss 0.7000  acc 0.7800  val_loss 0.6500  val_acc 0.7900  lr 0.01  2.0s",
            $"  checkpoint saved: checkpoints/ckpt-03.weights  sha256 {run.Sha("ckpt-03")}  val_loss 0.6500 [missing]",
            "  training stopped at epoch 3 by early-stopping (NoImprovement): val_loss did not improve for 1 epochs (best 0.6 at epoch 2)",
            "best weights restored from epoch 2 (early-stopping)",
            $"stopped after 3 epochs in 12.5s: loss 0.9000  acc 0.7500  val_loss 0.6000  val_acc 0.8000; final model final.weights  sha256 {run.Sha("final")}",
        ];
        Assert.Equal(expected, result.Lines);
    }

    [Fact]
    public void A_checkpoint_the_run_itself_deleted_is_not_marked_and_intact_files_are_not_marked()
    {
        var run = ScriptedRuns.StoppedAndResumed(_temp.Path);

        var lines = Cli.Run("history", run.Folder).Lines;

        Assert.DoesNotContain(lines, l => l.Contains('['));
        Assert.Contains($"  checkpoint saved: checkpoints/ckpt-02.weights  sha256 {run.Sha("ckpt-02")}  val_loss 0.6000", lines);
    }

    [Fact]
    public void Json_is_one_array_of_typed_entries_in_journal_order_with_epochs_from_0()
    {
        var run = TamperedRun();

        var result = Cli.Run("history", run.Folder, "--json");

        Assert.Equal(0, result.Exit);
        using var document = JsonDocument.Parse(result.Out);
        var entries = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(
            ["run_started", "epoch", "checkpoint_saved", "epoch", "lr_changed", "checkpoint_saved", "checkpoint_deleted", "run_resumed",
             "epoch", "checkpoint_saved", "training_stopped", "best_weights_restored", "run_completed"],
            entries.Select(e => e.GetProperty("type").GetString()!).ToArray());
        Assert.Equal(Enumerable.Range(1, 13).Select(i => (long)i), entries.Select(e => e.GetProperty("seq").GetInt64()));

        var epochs = entries.Where(e => e.GetProperty("type").GetString() == "epoch").ToList();
        Assert.Equal([0, 1, 2], epochs.Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.Equal(0.8, epochs[0].GetProperty("logs").GetProperty("val_loss").GetDouble());
        Assert.Equal(45, epochs[0].GetProperty("steps").GetInt32());

        var checks = entries.Where(e => e.GetProperty("type").GetString() == "checkpoint_saved")
            .Select(e => e.GetProperty("file").GetProperty("check").GetString()!).ToArray();
        Assert.Equal(["deleted", "altered", "missing"], checks);
        Assert.Equal(1, entries[4].GetProperty("epoch").GetInt32()); // lr_changed
        Assert.Equal(1, entries[7].GetProperty("from_epoch").GetInt32()); // run_resumed
        Assert.Equal("NoImprovement", entries[10].GetProperty("kind").GetString());
        Assert.Equal(1, entries[11].GetProperty("epoch").GetInt32()); // best_weights_restored
        var completed = entries[12];
        Assert.Equal("stopped", completed.GetProperty("status").GetString());
        Assert.Equal(3, completed.GetProperty("epochs_run").GetInt32());
        Assert.Equal("ok", completed.GetProperty("final_model").GetProperty("check").GetString());
        Assert.Equal(0.6, completed.GetProperty("final").GetProperty("val_loss").GetDouble());

        // And it reads back into the typed entries.
        var typed = HistoryJson.DeserializeHistory(result.Out);
        Assert.IsType<RunStartedEntry>(typed[0]);
        Assert.Equal(ScriptedRuns.StartedAt, ((RunStartedEntry)typed[0]).At);
        Assert.Equal(FileCheck.Altered, Assert.IsType<CheckpointSavedEntry>(typed[5]).File.Check);
    }

    [Fact]
    public void No_verify_checks_no_file()
    {
        var run = TamperedRun();

        var text = Cli.Run("history", run.Folder, "--no-verify");
        var json = Cli.Run("history", run.Folder, "--json", "--no-verify");

        Assert.Equal(0, text.Exit);
        Assert.DoesNotContain(text.Lines, l => l.Contains("[altered]") || l.Contains("[missing]"));
        var checks = HistoryJson.DeserializeHistory(json.Out).OfType<CheckpointSavedEntry>().Select(c => c.File.Check).ToArray();
        Assert.Equal([FileCheck.Deleted, FileCheck.Unchecked, FileCheck.Unchecked], checks);
    }

    [Fact]
    public void A_moved_run_folder_is_read_and_its_files_are_checked_where_they_are_now()
    {
        var run = ScriptedRuns.StoppedAndResumed(_temp.Path);
        var moved = _temp.Combine("archive", "r1-renamed");
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        Directory.Move(run.Folder, moved);

        var result = Cli.Run("history", moved);

        Assert.Equal(0, result.Exit);
        Assert.Equal($"run r1: 13 events in {Path.Combine(moved, "journal.db")}", result.Lines[0]);
        Assert.Contains($"  checkpoint saved: checkpoints/ckpt-02.weights  sha256 {run.Sha("ckpt-02")}  val_loss 0.6000", result.Lines);
        Assert.DoesNotContain(result.Lines, l => l.Contains('['));
    }

    [Fact]
    public void An_event_this_version_does_not_know_is_shown_and_the_rest_still_reads()
    {
        var run = ScriptedRuns.StoppedAndResumed(_temp.Path);
        JournalWriter.AppendRaw(run.Folder, "worker-lost.v1", """{"worker":1,"reason":"gone"}""", 14);

        var text = Cli.Run("history", run.Folder);
        var json = Cli.Run("history", run.Folder, "--json");

        Assert.Equal(0, text.Exit);
        Assert.Equal($"run r1: 14 events in {run.Journal}", text.Lines[0]);
        Assert.StartsWith("stopped after 3 epochs", text.Lines[^2]);
        Assert.StartsWith("(event worker-lost.v1, not decoded: ", text.Lines[^1]);
        Assert.EndsWith("""{"worker":1,"reason":"gone"}""", text.Lines[^1]);

        using var document = JsonDocument.Parse(json.Out);
        var last = document.RootElement.EnumerateArray().Last();
        Assert.Equal("other", last.GetProperty("type").GetString());
        Assert.Equal("worker-lost.v1", last.GetProperty("manifest").GetString());
        Assert.Equal(1, last.GetProperty("data").GetProperty("worker").GetInt32());
        Assert.Equal(14, last.GetProperty("seq").GetInt64());
    }

    [Fact]
    public void RunJournal_reads_the_events_as_they_were_persisted()
    {
        var run = ScriptedRuns.StoppedAndResumed(_temp.Path);

        var events = RunJournal.ReadEvents(run.Folder);

        Assert.Equal(run.Events.Count, events.Count);
        for (var i = 0; i < events.Count; i++)
            AssertSameEvent(run.Events[i], events[i]);
    }

    // Records compare collections by reference: compare those by content (in order), every other field
    // by the record's own equality.
    private static void AssertSameEvent(IRunEvent expected, IRunEvent actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        switch (expected, actual)
        {
            case (EpochCompleted e, EpochCompleted a):
                Assert.Equal(e.Logs.ToList(), a.Logs.ToList());
                Assert.Equal(e with { Logs = a.Logs }, a);
                break;
            case (ResumeStateSaved e, ResumeStateSaved a):
                Assert.Equal(e.Files, a.Files);
                Assert.Equal(e with { Files = a.Files }, a);
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }

    [Fact]
    public void Reading_changes_nothing_in_the_run_folder()
    {
        var run = ScriptedRuns.StoppedAndResumed(_temp.Path);
        var before = Snapshot(run.Folder);

        // Both read the whole journal (and history checks every file), so a pass is not an early exit.
        var history = Cli.Run("history", run.Folder);
        var runs = Cli.Run("runs", _temp.Path);

        Assert.True(history.Exit == 0, history.Err);
        Assert.True(runs.Exit == 0, runs.Err);
        Assert.Contains("run r1: 13 events", history.Out);
        Assert.Contains(runs.Lines, l => l.StartsWith("r1 ", StringComparison.Ordinal) && l.Contains("stopped", StringComparison.Ordinal));
        Assert.Equal(before, Snapshot(run.Folder));
    }

    [Fact]
    public void A_missing_folder_exits_2_naming_it()
    {
        var missing = _temp.Combine("no-such-run");

        var result = Cli.Run("history", missing);

        Assert.Equal(2, result.Exit);
        Assert.Equal("", result.Out);
        Assert.Contains(missing, result.Err);
        Assert.Contains("no such folder", result.Err);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void A_folder_without_a_journal_exits_2_naming_it_and_creates_no_journal()
    {
        var folder = _temp.Combine("not-a-run");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "hello");

        var result = Cli.Run("history", folder);

        Assert.Equal(2, result.Exit);
        Assert.Contains(folder, result.Err);
        Assert.Contains("not a run folder (no journal.db in it)", result.Err);
        Assert.False(File.Exists(Path.Combine(folder, "journal.db")));
    }

    [Fact]
    public void A_file_instead_of_a_folder_exits_2()
    {
        var file = _temp.Combine("journal.db");
        File.WriteAllText(file, "");

        var result = Cli.Run("history", file);

        Assert.Equal(2, result.Exit);
        Assert.Contains(file, result.Err);
    }

    [Fact]
    public void A_journal_that_is_not_a_database_exits_2_naming_it()
    {
        var folder = _temp.Combine("broken");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "journal.db"), "this is not SQLite");

        var result = Cli.Run("history", folder);

        Assert.Equal(2, result.Exit);
        Assert.Equal("", result.Out);
        Assert.Equal($"error: {Path.Combine(folder, "journal.db")} is not a SQLite database: it does not start with the SQLite header " +
                     "\"SQLite format 3\" (first bytes: \"this is not SQLi\")", result.Err.TrimEnd());
    }

    [Fact]
    public void An_empty_journal_file_exits_2_saying_nothing_was_stored_and_stays_empty()
    {
        var folder = _temp.Combine("empty");
        Directory.CreateDirectory(folder);
        var journal = Path.Combine(folder, "journal.db");
        File.WriteAllBytes(journal, []);

        var result = Cli.Run("history", folder);

        Assert.Equal(2, result.Exit);
        Assert.Equal($"error: {journal}: cannot read the journal: it has no journal table (nothing was ever stored in it)", result.Err.TrimEnd());
        Assert.Equal(0, new FileInfo(journal).Length);
    }

    [Fact]
    public void A_journal_with_tables_but_no_events_for_the_run_says_so()
    {
        var folder = _temp.Combine("quiet");
        JournalWriter.Write(folder, []);

        var result = Cli.Run("history", folder);

        Assert.Equal(0, result.Exit);
        Assert.Equal([$"run quiet: no events in {Path.Combine(folder, "journal.db")}"], result.Lines);
        Assert.Equal("[]", Cli.Run("history", folder, "--json").Out.Trim());
    }

    private static Dictionary<string, (long, DateTime)> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => (new FileInfo(f).Length, File.GetLastWriteTimeUtc(f)));
}
