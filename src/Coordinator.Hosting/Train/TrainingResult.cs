using Coordinator.Core.Reporting;

namespace Coordinator.Cli.Train;

/// <summary>How a run in this process ended: its <paramref name="Summary"/> (also in the folder's summary.json), or
/// null when it was cancelled and stays unfinished in <paramref name="Folder"/>, to be resumed.</summary>
public sealed record TrainingResult(string RunId, string Folder, RunSummary? Summary)
{
    public bool Interrupted => Summary is null;
}
