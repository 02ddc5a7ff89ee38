using Coordinator.Cli.Hosting;
using Coordinator.Testing.Persistence;
using Coordinator.Actors.TestSupport;
using Coordinator.Core.Reporting;
using Coordinator.Core.Storage;
using Coordinator.Reporting;
using Coordinator.Reporting.Tests;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.Tests;

/// <summary>One real <c>train</c> run on digits (6 epochs, 2 workers), shared by the tests that inspect it.</summary>
public sealed class DigitsRun : IDisposable
{
    public const int Epochs = 6;

    private readonly TempFolder _temp = new();

    public DigitsRun()
    {
        Folder = _temp.Combine("run-six");
        Result = Cli.TrainDigits(Folder, "--epochs", Epochs.ToString());
        if (Result.Exit == ExitCodes.Ok && File.Exists(Path.Combine(Folder, SummaryJson.FileName)))
        {
            Summary = SummaryJson.Read(Folder);
            Events = JournalEvents.Read(AkkaConfig.ForSqlite(Path.Combine(Folder, "journal.db"), null), $"run-{Summary.RunId}");
        }
    }

    public string Folder { get; }

    public Cli.Result Result { get; }

    public RunSummary? Summary { get; }

    public IReadOnlyList<IRunEvent> Events { get; } = [];

    public void Dispose() => _temp.Dispose();
}

/// <summary><c>coordinator train --config hocon/digits.conf --epochs 6</c>, in-process, and everything it leaves behind.</summary>
public sealed class TrainCommandTests(DigitsRun run, ITestOutputHelper output) : IClassFixture<DigitsRun>
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private RunSummary Summary
    {
        get
        {
            Assert.True(run.Result.Exit == ExitCodes.Ok, $"train exited {run.Result.Exit}; stderr:\n{run.Result.Err}\nstdout:\n{run.Result.Out}");
            return run.Summary ?? throw new Xunit.Sdk.XunitException("summary.json was not written");
        }
    }

    private string InRun(string relative) => Path.Combine(run.Folder, relative);

    [Fact]
    public void The_run_exits_0_and_summary_json_states_the_epochs_it_ran()
    {
        var summary = Summary;
        output.WriteLine($"status {summary.Status}, {summary.EpochsRun} epochs, best {summary.Monitor} {summary.Best} at {summary.BestEpoch}, wall {summary.WallSeconds:0.0}s");
        Assert.Equal("", run.Result.Err);
        Assert.Contains($"Epoch {summary.EpochsRun}/{DigitsRun.Epochs}", run.Result.Out);
        Assert.Contains(run.Folder, run.Result.Out);
        // EarlyStopping's patience (8) is longer than the run and the loss is finite: nothing stops it early.
        Assert.Equal(RunStatus.Completed, summary.Status);
        Assert.Null(summary.StopReason);
        Assert.Null(summary.Error);
        Assert.Equal("run-six", summary.RunId);
        Assert.Equal(2, summary.Workers);
        Assert.Equal("gradients", summary.Sync);
        Assert.Equal(DigitsRun.Epochs, summary.EpochsRun);
        Assert.Equal(summary.EpochsRun, summary.History.Count);
        Assert.Equal(Enumerable.Range(0, summary.EpochsRun), summary.History.Select(h => h.Epoch));
        Assert.True(summary.History[^1].Loss < summary.History[0].Loss, "the training loss fell");
        Assert.NotNull(summary.Final);
        Assert.True(summary.Final!.ValAccuracy > 0.8, $"final val_accuracy {summary.Final.ValAccuracy}");
        Assert.True(summary.WallSeconds > 0);
    }

    [Fact]
    public void History_csv_has_a_header_and_a_row_per_epoch()
    {
        var summary = Summary;
        var lines = File.ReadAllText(InRun("history.csv")).Split("\r\n");
        Assert.Equal("", lines[^1]); // CRLF after the last row too
        lines = lines[..^1];
        Assert.Equal("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss", lines[0]);
        Assert.Equal(summary.EpochsRun + 1, lines.Length);
        for (var e = 0; e < summary.EpochsRun; e++)
        {
            var cells = lines[e + 1].Split(',');
            Assert.Equal(6, cells.Length);
            Assert.Equal(e.ToString(), cells[0]);
            Assert.Equal(summary.History[e].Loss, double.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(summary.History[e].ValLoss, double.Parse(cells[5], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Training_png_is_a_png_and_tensorboard_holds_each_epochs_scalars_as_Keras_lays_them_out()
    {
        _ = Summary;
        var png = File.ReadAllBytes(InRun("training.png"));
        Assert.True(png.Length > 1000, $"training.png has {png.Length} bytes");
        Assert.Equal(PngSignature, png[..8]);

        // update-freq = epoch (the default): a file-version record, then one scalar per log and epoch.
        var train = TensorBoardEventReader.Read(Assert.Single(Directory.GetFiles(InRun("tensorboard/train"), "events.out.tfevents.*")));
        var validation = TensorBoardEventReader.Read(Assert.Single(Directory.GetFiles(InRun("tensorboard/validation"), "events.out.tfevents.*")));
        Assert.Equal(1 + 3 * Summary.EpochsRun, train.Count);
        Assert.Equal(1 + 2 * Summary.EpochsRun, validation.Count);
        foreach (var (events, tag, values) in new[]
                 {
                     (train, "epoch_loss", Summary.History.Select(h => h.Loss)),
                     (train, "epoch_learning_rate", run.Events.OfType<EpochCompleted>().Select(e => e.Logs["learning_rate"])),
                     (validation, "epoch_loss", Summary.History.Select(h => h.ValLoss)),
                     (validation, "epoch_accuracy", Summary.History.Select(h => h.ValAccuracy)),
                 })
            Assert.Equal(values.Select((v, epoch) => ((long?)epoch, (float?)v)), events.Where(e => e.Tag == tag).Select(e => (e.Step, e.Value)));
    }

    [Fact]
    public void Final_weights_match_the_run_completed_event()
    {
        var summary = Summary;
        Assert.Equal("final.weights", summary.FinalModel);
        var final = InRun("final.weights");
        Assert.True(File.Exists(final));
        var completed = Assert.IsType<RunCompleted>(run.Events[^1]);
        Assert.Equal("final.weights", completed.FinalModelPath); // relative to the run folder: the folder can move
        Assert.Equal(AtomicFile.Sha256Of(final), completed.FinalModelSha256);
        Assert.Equal(new FileInfo(final).Length, completed.FinalModelBytes);
        Assert.Equal(summary.Status, completed.Status);
        Assert.Equal(summary.Final, completed.Final);
    }

    [Fact]
    public void Restored_best_weights_are_bitwise_the_best_epochs_checkpoint()
    {
        var summary = Summary;
        var completed = Assert.IsType<RunCompleted>(run.Events[^1]);
        // digits.conf sets restore-best-weights = true and the first epoch always improves on +inf, so
        // EarlyStopping restores at the end of training whether it stopped the run or not.
        var restored = Assert.Single(run.Events.OfType<BestWeightsRestored>());
        Assert.Equal("early-stopping", restored.Source);
        // EarlyStopping and ModelCheckpoint (save-best-only, top 3) both watch val_loss: the best epoch's
        // checkpoint is kept, and the restored model is that checkpoint.
        Assert.Equal(summary.BestEpoch, restored.Epoch);
        Assert.Equal(summary.History.MinBy(h => h.ValLoss)!.Epoch, restored.Epoch); // the first lowest val_loss
        var best = summary.Checkpoints.Single(c => c.Epoch == restored.Epoch);
        Assert.False(best.Deleted);
        Assert.Equal(best.Sha256, completed.FinalModelSha256);
        Assert.Equal(summary.History[restored.Epoch].ValLoss, summary.Final!.ValLoss, 1e-9);
    }

    [Fact]
    public void Every_checkpoint_kept_exists_with_its_sha256_and_every_deleted_one_is_gone()
    {
        var summary = Summary;
        Assert.NotEmpty(summary.Checkpoints);
        Assert.Contains(summary.Checkpoints, c => !c.Deleted);
        foreach (var c in summary.Checkpoints)
        {
            var path = InRun(c.Path);
            Assert.StartsWith("checkpoints" + Path.DirectorySeparatorChar, c.Path);
            if (c.Deleted)
                Assert.False(File.Exists(path), $"{c.Path} is marked deleted but exists");
            else
            {
                Assert.True(File.Exists(path), $"{c.Path} is listed but missing");
                Assert.Equal(c.Sha256, AtomicFile.Sha256Of(path));
                Assert.Equal(c.Bytes, new FileInfo(path).Length);
            }
        }
        // save-top-k = 3: never more than three kept; nothing else in the folder.
        var kept = summary.Checkpoints.Where(c => !c.Deleted).Select(c => Path.GetFileName(c.Path)).Order();
        Assert.InRange(kept.Count(), 1, 3);
        Assert.Equal(kept, Directory.GetFiles(InRun("checkpoints")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void The_journal_replays_run_started_an_epoch_completed_per_epoch_and_run_completed()
    {
        var summary = Summary;
        var events = run.Events;
        output.WriteLine(string.Join("\n", events.Select(e => e.GetType().Name)));

        var started = Assert.IsType<RunStarted>(events[0]);
        Assert.Equal(summary.RunId, started.RunId);
        Assert.Equal(2, started.Workers);
        Assert.Equal(DigitsRun.Epochs, started.Epochs);
        Assert.Equal(42, started.Seed);
        Assert.Equal(1, events.Count(e => e is RunStarted));

        var epochs = events.OfType<EpochCompleted>().ToList();
        Assert.Equal(Enumerable.Range(0, summary.EpochsRun), epochs.Select(e => e.Epoch));
        for (var i = 0; i < epochs.Count; i++)
        {
            Assert.Equal(summary.History[i].Loss, epochs[i].Logs["loss"]);
            Assert.Equal(summary.History[i].ValLoss, epochs[i].Logs["val_loss"]);
        }

        Assert.IsType<RunCompleted>(events[^1]);
        Assert.Equal(1, events.Count(e => e is RunCompleted));
        Assert.DoesNotContain(events, e => e is RunFailed);

        // Each epoch's decisions follow its EpochCompleted: a CheckpointSaved for epoch e comes after EpochCompleted e.
        var positions = events.Select((e, i) => (e, i)).ToList();
        foreach (var (saved, at) in positions.Where(p => p.e is CheckpointSaved).Select(p => ((CheckpointSaved)p.e, p.i)))
        {
            var epochAt = positions.Single(p => p.e is EpochCompleted ec && ec.Epoch == saved.Epoch).i;
            Assert.True(at > epochAt, $"CheckpointSaved for epoch {saved.Epoch} is before its EpochCompleted");
        }
    }

    [Fact]
    public void Checkpoint_events_agree_with_summary_json_and_the_files()
    {
        var summary = Summary;
        var saved = run.Events.OfType<CheckpointSaved>().ToList();
        var deleted = run.Events.OfType<CheckpointDeleted>().Select(d => Path.GetFullPath(InRun(d.Path))).ToHashSet();
        Assert.Equal(summary.Checkpoints.Count, saved.Count);
        for (var i = 0; i < saved.Count; i++)
        {
            var record = summary.Checkpoints[i];
            Assert.Equal(record.Path, saved[i].Path); // the event records it relative to the run folder, as summary.json does
            var path = Path.GetFullPath(InRun(saved[i].Path));
            Assert.Equal(record.Sha256, saved[i].Sha256);
            Assert.Equal(record.Epoch, saved[i].Epoch);
            Assert.Equal(record.Deleted, deleted.Contains(path));
            if (File.Exists(path)) Assert.Equal(saved[i].Sha256, AtomicFile.Sha256Of(path));
            else Assert.Contains(path, deleted);
        }
        Assert.Equal(deleted.Count, run.Events.OfType<CheckpointDeleted>().Count());
    }

    [Fact]
    public void Learning_rate_changes_in_the_journal_are_those_in_summary_json()
    {
        var summary = Summary;
        var changes = run.Events.OfType<LearningRateChanged>().Select(c => new LrChangeRecord(c.Epoch, c.From, c.To, c.Reason)).ToList();
        output.WriteLine($"{changes.Count} rate change(s): {string.Join("; ", changes)}");
        Assert.Equal(summary.LrChanges, changes);

        // Whether or not the plateau cut the rate in these epochs, the rates the epochs trained with follow
        // the changes: digits.conf has no scheduler, so an epoch trains with the rate of the epoch before
        // unless ReduceLROnPlateau cut it at that epoch's end. The optimizer holds the rate as float32.
        var rates = run.Events.OfType<EpochCompleted>().Select(e => e.LearningRate).ToList();
        Assert.Equal(summary.History.Select(h => h.Lr), rates);
        Assert.Equal((float)0.05, rates[0]);
        for (var e = 1; e < rates.Count; e++)
            Assert.Equal(changes.SingleOrDefault(c => c.Epoch == e - 1)?.To ?? rates[e - 1], rates[e]);
        Assert.All(changes, c =>
        {
            Assert.Equal("plateau", c.Reason);
            Assert.Equal(rates[c.Epoch], c.From);
        });
    }

    [Fact]
    public void The_run_folder_keeps_the_configuration_as_the_run_used_it()
    {
        _ = Summary;
        var copy = InRun("run.conf");
        Assert.StartsWith(File.ReadAllText(TestFiles.DigitsConf).TrimEnd(), File.ReadAllText(copy));
        // Read back, it gives this run's settings: the --epochs flag applied, the data file found.
        var settings = Configuration.RunConfigReader.ReadFile(copy).Settings;
        Assert.Equal(DigitsRun.Epochs, settings.Training.Epochs);
        Assert.Equal(2, settings.Training.Workers);
        Assert.Equal(42, settings.Training.Seed);
        Assert.Equal(Path.GetFullPath(TestFiles.DigitsData), settings.Data.Path);
    }
}
