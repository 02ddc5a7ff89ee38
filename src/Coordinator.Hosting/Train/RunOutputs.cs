using Coordinator.Core.Reporting;
using Coordinator.Reporting;

namespace Coordinator.Cli.Train;

/// <summary>The files a finished run leaves in its folder: summary.json, history.csv, training.png (written by the
/// <see cref="RunFilesWriter"/> subscriber; TensorBoard events are written as the run goes: <see cref="TensorBoardWriter"/>).</summary>
public static class RunOutputs
{
    public static void Write(string folder, RunSummary summary, IReadOnlyList<(int Epoch, IReadOnlyDictionary<string, double> Logs)> epochs)
    {
        SummaryJson.Write(summary, folder);
        if (epochs.Count == 0) return;
        HistoryCsv.Write(epochs, folder);
        TrainingPlot.Write(summary, folder);
    }
}
