using System.Globalization;
using Coordinator.Actors.TestSupport;
using Coordinator.Callbacks.Formatting;
using Coordinator.Cli.Hosting;
using Coordinator.Reporting;
using Coordinator.Reporting.Tests;
using Coordinator.Testing.Persistence;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.Tests;

/// <summary>
/// A real <c>train</c> run with two csv-logger callbacks (issue #11: the supervisor wrote nothing for
/// them) and batch-level TensorBoard scalars: what the files hold, read back independently.
/// </summary>
public sealed class LiveOutputsTests : IDisposable
{
    private const int Epochs = 3;
    private const int UpdateFreq = 7;
    private const string Older = "epoch;loss\r\n0;9.5\r\n"; // a log of an earlier run, appended to
    private readonly TempFolder _temp = new();
    private readonly string _folder;
    private readonly string _appended;
    private readonly string _elsewhere; // as the issue tried it: an absolute name in a folder that does not exist yet
    private readonly Cli.Result _result;
    private readonly long _startedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public LiveOutputsTests()
    {
        _appended = _temp.Combine("elsewhere", "appended.csv");
        _elsewhere = _temp.Combine("x", "mylog.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(_appended)!);
        File.WriteAllText(_appended, Older);
        var conf = _temp.File("live.conf", TestFiles.DigitsConfText(t => TestFiles.ReplaceOnce(t, "  { type = terminate-on-nan }\n",
            "  { type = terminate-on-nan }\n" +
            "  { type = csv-logger, filename = \"mylog.csv\" }\n" +
            $"  {{ type = csv-logger, filename = \"{_elsewhere}\" }}\n" +
            $"  {{ type = csv-logger, filename = \"{_appended}\", separator = \";\", append = true }}\n") +
            $"\nreporting {{ tensorboard {{ update-freq = {UpdateFreq} }} }}\n"));
        _folder = _temp.Combine("run");
        _result = Cli.Run("train", "--config", conf, "--run-dir", _folder, "--epochs", Epochs.ToString(CultureInfo.InvariantCulture));
    }

    public void Dispose() => _temp.Dispose();

    private IReadOnlyList<EpochCompleted> Epochs_()
    {
        Assert.True(_result.Exit == ExitCodes.Ok, $"train exited {_result.Exit}\n{_result.Err}\n{_result.Out}");
        var summary = SummaryJson.Read(_folder);
        var epochs = JournalEvents.Read(AkkaConfig.ForSqlite(Path.Combine(_folder, "journal.db"), null), $"run-{summary.RunId}")
            .OfType<EpochCompleted>().ToList();
        Assert.Equal(Epochs, epochs.Count);
        return epochs;
    }

    [Fact]
    public void A_csv_logger_with_a_relative_filename_writes_Keras_CSVLogger_rows_into_the_run_folder()
    {
        var epochs = Epochs_();
        var text = File.ReadAllText(Path.Combine(_folder, "mylog.csv"));

        // Keras: header "epoch" + the first epoch's keys sorted, CRLF line ends, the 0-based epoch, values as Python's str().
        var lines = text.Split("\r\n");
        Assert.Equal("", lines[^1]);
        Assert.Equal("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss", lines[0]);
        Assert.Equal(epochs.Select(e => Row(e, ',')), lines[1..^1]);
        // Last in the list, it saw the logs every other callback had completed: the same as history.csv.
        Assert.Equal(File.ReadAllText(Path.Combine(_folder, HistoryCsv.FileName)), text);
    }

    [Fact]
    public void A_csv_logger_with_an_absolute_filename_in_a_new_folder_writes_the_same_rows_there()
    {
        Epochs_();
        Assert.Equal(File.ReadAllText(Path.Combine(_folder, "mylog.csv")), File.ReadAllText(_elsewhere));
    }

    [Fact]
    public void A_csv_logger_with_append_and_a_separator_adds_its_rows_to_an_existing_file_without_a_header()
    {
        var epochs = Epochs_();
        Assert.Equal(Older + string.Concat(epochs.Select(e => Row(e, ';') + "\r\n")), File.ReadAllText(_appended));
    }

    [Fact]
    public void TensorBoard_holds_each_epoch_and_every_Nth_batch_with_unix_wall_times_in_CRC_checked_records()
    {
        var epochs = Epochs_();
        var train = TensorBoardEventReader.Read(Assert.Single(Directory.GetFiles(Path.Combine(_folder, "tensorboard", "train"))));
        var validation = TensorBoardEventReader.Read(Assert.Single(Directory.GetFiles(Path.Combine(_folder, "tensorboard", "validation"))));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        foreach (var e in train.Concat(validation))
            Assert.InRange(e.WallTime, _startedAt, now + 1); // seconds since 1970, not .NET ticks
        Assert.Equal("brain.Event:2", train[0].FileVersion);
        foreach (var (name, value) in new[] { "loss", "accuracy", "learning_rate" }.SelectMany(n => epochs.Select(e => (n, e))))
            Assert.Contains(train, t => t.Tag == "epoch_" + name && t.Step == value.Epoch && t.Value == (float)value.Logs[name]);
        foreach (var name in new[] { "loss", "accuracy" })
            Assert.Equal(epochs.Select(e => ((long?)e.Epoch, (float?)e.Logs["val_" + name])),
                validation.Where(v => v.Tag == "epoch_" + name).Select(v => (v.Step, v.Value)));

        // 45 steps an epoch: the running loss at every 7th batch of the run, numbered across epochs.
        var batches = train.Where(t => t.Tag == "batch_loss").ToList();
        var steps = epochs.Sum(e => e.Steps);
        Assert.Equal(Enumerable.Range(1, steps / UpdateFreq).Select(k => (long?)(k * UpdateFreq)), batches.Select(b => b.Step));
        Assert.All(batches, b => Assert.True(float.IsFinite(b.Value!.Value) && b.Value > 0));
        // Written as the run went: the batch scalars of an epoch come before its epoch scalars.
        var firstEpochLoss = train.ToList().FindIndex(t => t.Tag == "epoch_loss");
        Assert.Equal(45 / UpdateFreq, train.Take(firstEpochLoss).Count(t => t.Tag == "batch_loss"));
    }

    private static string Row(EpochCompleted e, char separator) =>
        string.Join(separator, new[] { "accuracy", "learning_rate", "loss", "val_accuracy", "val_loss" }
            .Select(k => PythonFloat.Repr(e.Logs[k])).Prepend(e.Epoch.ToString(CultureInfo.InvariantCulture)));
}
