using Coordinator.Core.Reporting;
using Coordinator.Reporting;
using Coordinator.Training;

namespace Coordinator.Cli.Train;

/// <summary>The files a finished run leaves in its folder: summary.json, history.csv, training.png, TensorBoard events.</summary>
public static class RunOutputs
{
    public static void Write(string folder, RunSummary summary, IReadOnlyList<(int Epoch, IReadOnlyDictionary<string, double> Logs)> epochs,
        Action<string> message)
    {
        SummaryJson.Write(summary, folder);
        if (epochs.Count == 0) return;
        HistoryCsv.Write(epochs, folder);
        TrainingPlot.Write(summary, folder);
        try
        {
            TensorBoardLog.Write(folder, epochs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            message($"warning: could not write TensorBoard events: {e.Message}");
        }
    }
}
