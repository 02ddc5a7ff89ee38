using System.IO.Compression;
using Coordinator.Actors.TestSupport;
using Coordinator.Core.Reporting;
using Coordinator.Recovery.Tests.TestSupport;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests;

/// <summary>
/// What <c>train --resume</c> refuses, before anything runs (exit 2, a message naming what is wrong and a
/// way on, the folder unchanged): a run.conf or data file changed since the run started, an empty journal
/// beside saved states, a folder with nothing of a run; and what it starts instead of refusing: a run that
/// was stopped before its first event.
/// </summary>
[Collection(ProcessRunsA.Name)]
public sealed class ResumeRefusalTests(ITestOutputHelper output)
{
    /// <summary>digits.conf, smaller and shorter (6 epochs), reading its data from <paramref name="data"/>.</summary>
    private static string ShortConf(TempFolder temp, string? data = null)
    {
        var text = Edit(Edit(DigitsConf.Text(), "epochs = 80", "epochs = 6"), "hidden = [128]", "hidden = [32]");
        if (data is not null) text = Edit(text, Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"), data);
        return temp.File("short.conf", text);
    }

    private static string Edit(string text, string from, string to)
    {
        Assert.Contains(from, text);
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    private void AssertRefused(CoordinatorProcess.Result result, string folder, IReadOnlyList<string> before, params string[] mentions)
    {
        output.WriteLine(result.ToString());
        Assert.Equal(2, result.Exit);
        Assert.StartsWith("error: --resume", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        foreach (var m in mentions) Assert.Contains(m, result.Stderr);
        Assert.Equal(before, FolderSnapshot.Of(folder));
    }

    [Fact]
    public void An_edited_run_conf_or_data_file_is_refused_naming_what_changed_and_a_comment_is_not()
    {
        using var temp = new TempFolder("edited");
        var data = Path.Combine(temp.Path, "digits.csv.gz");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"), data);
        var run = temp.Combine("run");
        KilledAtEpoch.Run(ShortConf(temp, data), run, epoch: 2);
        var runConf = Path.Combine(run, "run.conf");
        var original = File.ReadAllText(runConf);

        void Refused(string edited, params string[] mentions)
        {
            File.WriteAllText(runConf, edited);
            var before = FolderSnapshot.Of(run);
            AssertRefused(CoordinatorProcess.Run(["train", "--resume", run]), run, before, mentions);
            File.WriteAllText(runConf, original);
        }

        Refused(Edit(original, "hidden = [32]", "hidden = [16]"), "the model (model.hidden): [32] when the run started, [16] now");
        Refused(Edit(original, "patience = 8", "patience = 5"), "the callbacks:");
        Refused(Edit(original, "momentum = 0.9", "momentum = 0.5"), "optimizer.momentum: 0.9 when the run started, 0.5 now");
        Refused(Edit(original, "training.epochs = 6", "training.epochs = 9"), "training.epochs: 6 when the run started, 9 now", $"--resume {run} --epochs 9");

        // Another data file under the same name: both SHA-256s are named.
        var dataBytes = File.ReadAllBytes(data);
        var recordedSha = Core.Storage.AtomicFile.Sha256Of(data);
        using (var rows = new StreamReader(new GZipStream(new MemoryStream(dataBytes), CompressionMode.Decompress)))
        {
            var lines = rows.ReadToEnd().TrimEnd('\n').Split('\n');
            using var gz = new GZipStream(File.Create(data), CompressionLevel.Optimal);
            using var writer = new StreamWriter(gz);
            writer.Write(string.Join("\n", lines[..^1]) + "\n"); // one row fewer
        }
        var beforeData = FolderSnapshot.Of(run);
        AssertRefused(CoordinatorProcess.Run(["train", "--resume", run]), run, beforeData,
            "the data file", recordedSha, Core.Storage.AtomicFile.Sha256Of(data));
        File.WriteAllBytes(data, dataBytes);

        // A comment changes the file, not a setting: the run goes on.
        File.WriteAllText(runConf, "# a note added after the run started\n" + original);
        var resumed = CoordinatorProcess.Run(["train", "--resume", run]);
        Assert.True(resumed.Exit == 0, $"train --resume after a comment was added failed: {resumed}");
        Assert.Equal(RunStatus.Completed, FinishedRun.Read(run).Summary.Status);
    }

    /// <summary>A run started by an older version recorded no settings; its callbacks are still checked
    /// against their saved state, before anything runs.</summary>
    [Fact]
    public void Other_callbacks_in_the_run_conf_of_a_run_started_by_an_older_version_are_refused()
    {
        using var temp = new TempFolder("old-callbacks");
        var run = temp.Combine("old-run");
        var text = OldRunFixture.CopyTo(run);
        File.WriteAllText(Path.Combine(run, "run.conf"), Edit(text, "  { type = terminate-on-nan }\n", ""));
        var before = FolderSnapshot.Of(run);

        AssertRefused(CoordinatorProcess.Run(["train", "--resume", run]), run, before, "the callbacks in its run.conf are not those the run started with");
    }

    [Fact]
    public void An_empty_journal_beside_saved_states_is_refused_with_a_way_on_which_then_starts_the_run_again()
    {
        using var temp = new TempFolder("empty-journal");
        var conf = ShortConf(temp);
        var run = temp.Combine("run");
        KilledAtEpoch.Run(conf, run, epoch: 2);
        File.WriteAllBytes(Path.Combine(run, "journal.db"), []);
        var before = FolderSnapshot.Of(run);

        AssertRefused(CoordinatorProcess.Run(["train", "--resume", run]), run, before,
            "journal.db is empty (0 bytes)", "saved file(s) lie beside it", "move state/ and checkpoints/ out of it", $"--resume {run}");

        // The way on it names: move the saved files away, resume: the run starts again from epoch 1.
        var aside = temp.Combine("aside");
        Directory.CreateDirectory(aside);
        Directory.Move(Path.Combine(run, "state"), Path.Combine(aside, "state"));
        Directory.Move(Path.Combine(run, "checkpoints"), Path.Combine(aside, "checkpoints"));
        var resumed = CoordinatorProcess.Run(["train", "--resume", run]);
        Assert.True(resumed.Exit == 0, $"train --resume after moving the saved files away failed: {resumed}");
        Assert.Contains("records no event yet", resumed.Stdout);
        var finished = FinishedRun.Read(run);
        Assert.Equal(Enumerable.Range(0, 6), finished.Events.OfType<EpochCompleted>().Select(e => e.Epoch));
    }

    [Fact]
    public void A_run_stopped_before_its_first_event_starts_from_epoch_1_and_an_empty_folder_is_named_as_such()
    {
        using var temp = new TempFolder("no-event");
        var empty = temp.Folder("empty");
        var result = CoordinatorProcess.Run(["train", "--resume", empty]);
        AssertRefused(result, empty, [], "is empty: no run was started in it", "--run-dir");

        // What a process killed right after creating the folder leaves: run.conf (and perhaps an empty journal).
        var run = temp.Folder("run");
        File.Copy(ShortConf(temp), Path.Combine(run, "run.conf"));
        File.WriteAllBytes(Path.Combine(run, "journal.db"), []);
        var again = CoordinatorProcess.Run(["train", "--config", ShortConf(temp), "--run-dir", run]);
        Assert.Equal(2, again.Exit);
        Assert.Contains($"--resume {run}", again.Stderr);

        var resumed = CoordinatorProcess.Run(["train", "--resume", run]);
        Assert.True(resumed.Exit == 0, $"train --resume of a run with no event failed: {resumed}");
        Assert.Contains("records no event yet", resumed.Stdout);
        var finished = FinishedRun.Read(run);
        Assert.Equal(RunStatus.Completed, finished.Summary.Status);
        Assert.Single(finished.Events.OfType<RunStarted>());
    }
}
