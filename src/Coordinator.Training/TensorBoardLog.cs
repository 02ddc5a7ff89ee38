using TorchSharp;

namespace Coordinator.Training;

/// <summary>Writes a run's epoch scalars as TensorBoard event files, with TorchSharp's SummaryWriter.</summary>
public static class TensorBoardLog
{
    public const string FolderName = "tensorboard";

    /// <summary>One scalar per metric and epoch (tag = metric name, step = epoch); non-finite values are skipped.</summary>
    public static string Write(string runFolder, IReadOnlyList<(int Epoch, IReadOnlyDictionary<string, double> Logs)> epochs)
    {
        TorchRuntime.EnsureInitialized();
        var folder = Path.Combine(runFolder, FolderName);
        Directory.CreateDirectory(folder);
        var writer = torch.utils.tensorboard.SummaryWriter(folder, createRunName: false);
        foreach (var (epoch, logs) in epochs)
            foreach (var (name, value) in logs)
                if (double.IsFinite(value))
                    writer.add_scalar($"epoch/{name}", (float)value, epoch);
        return folder;
    }
}
