using Coordinator.Core.Reporting;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.History.Tests;

/// <summary>A run folder with a real journal written from a script, and the files it records.</summary>
public sealed record ScriptedRun(
    string Folder, string RunId, IReadOnlyList<IRunEvent> Events, IReadOnlyDictionary<string, (string Path, string Sha256, long Bytes)> Files)
{
    public string Journal => Path.Combine(Folder, "journal.db");

    public string Sha(string file) => Files[file].Sha256[..12];
}

/// <summary>Scripted runs: the events a supervisor would persist, without training.</summary>
public static class ScriptedRuns
{
    public static readonly DateTimeOffset StartedAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    public const string ConfigSha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static Dictionary<string, double> Logs(double loss, double accuracy, double valLoss, double valAccuracy, double lr) => new()
    {
        ["loss"] = loss, ["accuracy"] = accuracy, ["val_loss"] = valLoss, ["val_accuracy"] = valAccuracy, ["learning_rate"] = lr,
    };

    public static RunStarted Started(string runId, int epochs = 10) =>
        new(runId, 2, "gradients", 42, epochs, 0.05, 9610, ConfigSha256, StartedAt);

    /// <summary>
    /// A run that trained two epochs (a plateau cut the rate after the second; save-top-k = 2 dropped
    /// the first checkpoint), was resumed in a new process after epoch 2, trained a third epoch,
    /// was stopped by EarlyStopping, restored the best weights and completed. Epochs count from 0.
    /// </summary>
    public static ScriptedRun StoppedAndResumed(string root, string runId = "r1")
    {
        var folder = Path.Combine(root, runId);
        var files = new Dictionary<string, (string Path, string Sha256, long Bytes)>
        {
            ["ckpt-01"] = RunFiles.Write(Path.Combine(folder, "checkpoints", "ckpt-01.weights"), "the weights after epoch 1"),
            ["ckpt-02"] = RunFiles.Write(Path.Combine(folder, "checkpoints", "ckpt-02.weights"), "the weights after epoch 2"),
            ["ckpt-03"] = RunFiles.Write(Path.Combine(folder, "checkpoints", "ckpt-03.weights"), "the weights after epoch 3"),
            ["final"] = RunFiles.Write(Path.Combine(folder, "final.weights"), "the weights kept"),
        };
        File.Delete(files["ckpt-01"].Path); // save-top-k deleted it, as the journal says
        CheckpointSaved Saved(int epoch, string name, double value) =>
            new(epoch, null, files[name].Path, files[name].Sha256, files[name].Bytes, "val_loss", value, "regular");

        IRunEvent[] events =
        [
            Started(runId),
            new EpochCompleted(0, 0.05, Logs(1.5, 0.5, 0.8, 0.7, 0.05), 1.5, 45, 1_000_000, "{}"),
            Saved(0, "ckpt-01", 0.8),
            new EpochCompleted(1, 0.05, Logs(0.9, 0.75, 0.6, 0.8, 0.05), 1.5, 45, 1_000_000, "{}"),
            new LearningRateChanged(1, 0.05, 0.01, "plateau", "reduce-lr-on-plateau"),
            Saved(1, "ckpt-02", 0.6),
            new CheckpointDeleted(1, files["ckpt-01"].Path, "save-top-k = 2: val_loss = 0.8 is no longer among the best"),
            new RunResumed(1, StartedAt.AddHours(1)),
            new EpochCompleted(2, 0.01, Logs(0.7, 0.78, 0.65, 0.79, 0.01), 2.0, 45, 1_000_000, "{}"),
            Saved(2, "ckpt-03", 0.65),
            new TrainingStopped(2, null, "NoImprovement", "early-stopping", "val_loss did not improve for 1 epochs (best 0.6 at epoch 2)"),
            new BestWeightsRestored(1, "early-stopping"),
            new RunCompleted(RunStatus.Stopped, FinalMetrics.Of(0.9, 0.75, 0.6, 0.8), files["final"].Path, files["final"].Sha256, files["final"].Bytes, 12.5),
        ];
        JournalWriter.Write(folder, events);
        return new ScriptedRun(folder, runId, events, files);
    }

    /// <summary>A run still going (or whose process ended): started, two epochs, no RunCompleted / RunFailed.</summary>
    public static ScriptedRun Unfinished(string root, string runId = "r2")
    {
        var folder = Path.Combine(root, runId);
        IRunEvent[] events =
        [
            Started(runId, epochs: 20),
            new EpochCompleted(0, 0.05, Logs(1.2, 0.6, 0.7, 0.72, 0.05), 1.0, 45, 1_000_000, "{}"),
            new EpochCompleted(1, 0.05, Logs(0.8, 0.7, 0.5, 0.81, 0.05), 1.0, 45, 1_000_000, "{}"),
        ];
        JournalWriter.Write(folder, events);
        return new ScriptedRun(folder, runId, events, new Dictionary<string, (string, string, long)>());
    }

    /// <summary>A run whose worker failed in its first epoch.</summary>
    public static ScriptedRun Failed(string root, string runId = "r3")
    {
        var folder = Path.Combine(root, runId);
        IRunEvent[] events = [Started(runId), new RunFailed("worker 1 failed: out of memory", 3.5)];
        JournalWriter.Write(folder, events);
        return new ScriptedRun(folder, runId, events, new Dictionary<string, (string, string, long)>());
    }
}
