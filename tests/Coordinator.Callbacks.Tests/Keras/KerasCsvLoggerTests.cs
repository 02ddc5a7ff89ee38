using Coordinator.Callbacks.Formatting;
using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Keras;

/// <summary>
/// Ports of keras/src/callbacks/csv_logger_test.py (Keras 3, CSVLoggerTest). The callback asks for
/// lines to be written; <see cref="LogFiles"/> plays the host that writes them, so the file's
/// content can be checked as the Keras test checks the real file.
/// </summary>
public class KerasCsvLoggerTests
{
    private const string Path = "log.tsv";
    private const string Sep = "\t";

    // The model of the Keras test: loss "mse", metrics ["mse"], validation data.
    private static EpochInput TrainedEpoch(double loss) =>
        Epoch(("loss", loss), ("mse", loss), ("val_loss", loss + 0.1), ("val_mse", loss + 0.1));

    // Keras: test_CSVLogger, case 1 — "create new file with defined separator": after one epoch the file
    // exists and csv.Sniffer finds the tab delimiter.
    [Fact]
    public void test_CSVLogger_case1_new_file_with_separator()
    {
        var files = new LogFiles();
        var run = Runner.Run(new CsvLoggerSettings(Path) { Separator = Sep }, [TrainedEpoch(0.5)]);
        files.Apply(run);

        Assert.True(files.Exists(Path));
        var write = Assert.Single(run.All<LogLineWriteRequested>());
        Assert.True(write.Truncate);
        Assert.Equal("epoch\tloss\tmse\tval_loss\tval_mse\r\n", write.Header);
        Assert.Equal("0\t0.5\t0.5\t0.6\t0.6\r\n", write.Row);
        Assert.All(files.Lines(Path), line => Assert.Equal(4, line.Count(c => c == '\t')));
    }

    // Keras: test_CSVLogger, cases 2 and 3 — a second CSVLogger with append=True adds a row without a
    // header; the same CSVLogger object reused for a 2-epoch fit appends 2 more rows. The file has 5
    // lines, each with 4 separators, and "epoch" appears once.
    [Fact]
    public void test_CSVLogger_case2_append_and_case3_reuse()
    {
        var files = new LogFiles();
        files.Apply(Runner.Run(new CsvLoggerSettings(Path) { Separator = Sep }, [TrainedEpoch(0.5)]));

        var appending = Runner.Engine(0.01, new CsvLoggerSettings(Path) { Separator = Sep, Append = true });
        for (var fit = 0; fit < 2; fit++) // case 2: one epoch; case 3: the same callback, two epochs
        {
            files.Apply(appending.TrainBegin());
            for (var epoch = 0; epoch <= fit; epoch++)
            {
                appending.BeginEpoch(epoch);
                var end = appending.EndEpoch(TrainedEpoch(0.4 - 0.1 * epoch).Logs);
                Assert.False(Assert.Single(end.Decisions.OfType<LogLineWriteRequested>()).Truncate);
                files.Apply(end.Decisions);
            }
            files.Apply(appending.EndTrain().Decisions);
        }

        var lines = files.Lines(Path);
        Assert.All(lines, line => Assert.Equal(4, line.Count(c => c == '\t')));
        Assert.Equal(5, lines.Count);
        Assert.Single(lines, l => l.Contains("epoch"));
    }

    // Keras: test_CSVLogger, "Verify Val. loss also registered when Validation Freq > 1" —
    // validation_freq=3, 5 epochs: the header has val_loss from the first row on; rows 1, 2, 4, 5 say
    // NA and row 3 holds str(history["val_loss"][0]).
    [Fact]
    public void test_CSVLogger_validation_freq()
    {
        var epochs = Enumerable.Range(0, 5).Select(i => i == 2
            ? Epoch(("loss", 0.5), ("mse", 0.5), ("val_loss", 0.30000000000000004), ("val_mse", 0.3))
            : Epoch(("loss", 0.5), ("mse", 0.5))).ToList();
        var files = new LogFiles();
        files.Apply(Runner.Run(new CsvLoggerSettings(Path) { Separator = Sep }, epochs));

        var rows = files.Rows(Path, '\t');
        Assert.Equal(5, rows.Count);
        for (var idx = 1; idx <= rows.Count; idx++)
        {
            var row = rows[idx - 1];
            Assert.Contains("val_loss", row.Keys);
            Assert.Equal(idx == 3 ? PythonFloat.Repr(0.30000000000000004) : "NA", row["val_loss"]);
        }
        Assert.Equal("0.30000000000000004", rows[2]["val_loss"]);
    }

    // Keras: test_stop_training_csv — TerminateOnNaN and CSVLogger together: the loss is NaN/inf from
    // the first batch, so one epoch runs, and the last CSV row holds "nan" (the file stays valid).
    [Fact]
    public void test_stop_training_csv()
    {
        var files = new LogFiles();
        var run = Runner.Run([new TerminateOnNaNSettings(), new CsvLoggerSettings("csv_logger.csv")],
            WithBatches(3, Enumerable.Repeat(double.NaN, 20).ToArray()));
        files.Apply(run);

        Assert.Equal(1, run.EpochsRun);
        Assert.True(double.IsNaN(run.Epochs[0].Ended!.Logs["loss"]));
        var lines = files.Lines("csv_logger.csv");
        Assert.Equal(2, lines.Count);
        Assert.Contains("nan", lines[^1].Split(','));
    }
}
