using System.Text;
using Coordinator.Reporting.TensorBoard;

namespace Coordinator.Reporting.Tests;

/// <summary>The TensorBoard writer, read back by an independent reader (CRCs checked, protobuf decoded).</summary>
public sealed class TensorBoardLogTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_reader_computes_CRC_32C_as_the_standard_check_value_says()
    {
        Assert.Equal(0xE3069283u, TensorBoardEventReader.Crc32C(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Epoch_logs_go_to_train_and_validation_as_Keras_names_them_with_true_wall_times_and_NaN_kept()
    {
        var clock = new SettableClock(Start);
        using (var log = new TensorBoardLog(_temp.Path, updateFreq: null, clock))
        {
            log.EpochEnded(0, new Dictionary<string, double> { ["loss"] = 0.5, ["val_loss"] = 0.75, ["learning_rate"] = 0.01 });
            clock.Now = Start.AddSeconds(2.5);
            log.EpochEnded(1, new Dictionary<string, double> { ["loss"] = double.NaN, ["val_loss"] = double.PositiveInfinity, ["learning_rate"] = 0.01 });
            log.BatchEnded(1, 0.4); // update-freq epoch: no batch scalars
        }

        var train = TensorBoardEventReader.Read(Assert.Single(Directory.GetFiles(Path.Combine(_temp.Path, "tensorboard", "train"))));
        var validation = TensorBoardEventReader.Read(Assert.Single(Directory.GetFiles(Path.Combine(_temp.Path, "tensorboard", "validation"))));

        var startSeconds = Start.ToUnixTimeSeconds();
        Assert.Equal(new TensorBoardEvent(startSeconds, null, "brain.Event:2", null, null), train[0]);
        Assert.Equal(
        [
            new TensorBoardEvent(startSeconds, 0, null, "epoch_loss", 0.5f),
            new TensorBoardEvent(startSeconds, 0, null, "epoch_learning_rate", 0.01f),
            new TensorBoardEvent(startSeconds + 2.5, 1, null, "epoch_loss", float.NaN),
            new TensorBoardEvent(startSeconds + 2.5, 1, null, "epoch_learning_rate", 0.01f),
        ], train.Skip(1));
        Assert.Equal(
        [
            new TensorBoardEvent(startSeconds, 0, null, "epoch_loss", 0.75f),
            new TensorBoardEvent(startSeconds + 2.5, 1, null, "epoch_loss", float.PositiveInfinity),
        ], validation.Skip(1));
    }

    [Fact]
    public void With_an_update_frequency_the_running_loss_is_written_every_N_batches_of_the_run()
    {
        var clock = new SettableClock(Start);
        using (var log = new TensorBoardLog(_temp.Path, updateFreq: 3, clock))
            for (var batch = 1; batch <= 10; batch++) log.BatchEnded(batch, 1.0 / batch);

        var train = TensorBoardEventReader.Read(Assert.Single(Directory.GetFiles(Path.Combine(_temp.Path, "tensorboard", "train"))));
        Assert.Equal([("batch_loss", 3L, 1f / 3), ("batch_loss", 6L, 1f / 6), ("batch_loss", 9L, 1f / 9)],
            train.Skip(1).Select(e => (e.Tag!, e.Step!.Value, e.Value!.Value)));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "tensorboard", "validation")));
    }

    [Fact]
    public void Each_record_is_on_disk_as_soon_as_it_is_written()
    {
        using var log = new TensorBoardLog(_temp.Path, updateFreq: null, new SettableClock(Start));
        log.EpochEnded(0, new Dictionary<string, double> { ["loss"] = 0.5 });

        // Read while the writer is still open: the epoch is there.
        var file = Assert.Single(Directory.GetFiles(Path.Combine(_temp.Path, "tensorboard", "train")));
        using var copy = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[copy.Length];
        copy.ReadExactly(bytes);
        File.WriteAllBytes(file + ".copy", bytes);
        Assert.Equal("epoch_loss", TensorBoardEventReader.Read(file + ".copy")[^1].Tag);
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
