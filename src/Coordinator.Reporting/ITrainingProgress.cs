using Coordinator.Core.Reporting;

namespace Coordinator.Reporting;

/// <summary>
/// What the console shows while a run trains. Calls may come from any thread (one at a time or
/// not); implementations never throw for a display problem. Dispose ends any live display.
/// </summary>
public interface ITrainingProgress : IDisposable
{
    /// <summary>An epoch (0-based, shown from 1) of <paramref name="totalEpochs"/> begins with
    /// <paramref name="steps"/> batches at rate <paramref name="lr"/>.</summary>
    void EpochStarted(int epoch, int totalEpochs, int steps, double lr);

    /// <summary><paramref name="step"/> batches of the current epoch are done (1-based); the
    /// epoch's running mean loss so far.</summary>
    void BatchCompleted(int step, double runningLoss);

    /// <summary>The epoch's line, as <see cref="EpochLine.Format"/> makes it.</summary>
    void EpochCompleted(string line);

    /// <summary>Any other line for the user (a warning, a note from a callback).</summary>
    void Message(string message);

    /// <summary>The run ended: show the summary block (<see cref="SummaryBlock.Format"/>).</summary>
    void Finished(RunSummary summary, string runFolder, string? finalModelPath);
}
