namespace Coordinator.Reporting.TensorBoard;

/// <summary>
/// A run's TensorBoard events, written as the run goes, laid out as Keras's <c>TensorBoard</c> callback
/// lays them out: <c>tensorboard/train</c> gets <c>epoch_loss</c>, <c>epoch_accuracy</c>,
/// <c>epoch_learning_rate</c> (every log without the <c>val_</c> prefix) and <c>tensorboard/validation</c>
/// the <c>val_</c> logs under the same names, so TensorBoard draws training and validation on one chart.
/// Epoch scalars have the 0-based epoch as step. With an update frequency of N batches, the running
/// loss also goes to <c>batch_loss</c> every N batches, its step the batch's number in the run (1, 2, ...,
/// counting every epoch's batches, as Keras's global batch counter does). A resumed run adds new
/// files to the same folders; TensorBoard reads them all.
/// </summary>
public sealed class TensorBoardLog(string runFolder, int? updateFreq, TimeProvider? time = null) : IDisposable
{
    public const string FolderName = "tensorboard";

    private TensorBoardEventFile? _train;
    private TensorBoardEventFile? _validation;

    public string Folder { get; } = Path.Combine(runFolder, FolderName);

    /// <summary>An epoch's logs (0-based <paramref name="epoch"/>), NaN and infinities included.</summary>
    public void EpochEnded(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        foreach (var (name, value) in logs)
        {
            if (name.StartsWith("val_", StringComparison.Ordinal))
                (_validation ??= new TensorBoardEventFile(Path.Combine(Folder, "validation"), time)).Scalar("epoch_" + name[4..], epoch, value);
            else
                Train.Scalar("epoch_" + name, epoch, value);
        }
    }

    /// <summary>Batch <paramref name="globalBatch"/> of the run (1-based) ended with this running loss;
    /// written when the update frequency says so.</summary>
    public void BatchEnded(long globalBatch, double runningLoss)
    {
        if (updateFreq is { } every && globalBatch % every == 0) Train.Scalar("batch_loss", globalBatch, runningLoss);
    }

    public void Dispose()
    {
        _train?.Dispose();
        _validation?.Dispose();
    }

    private TensorBoardEventFile Train => _train ??= new TensorBoardEventFile(Path.Combine(Folder, "train"), time);
}
