using Coordinator.Callbacks.Formatting;
using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Rules;

/// <summary>
/// <see cref="KerasCsv"/> and <see cref="CsvLogger"/>: the expected lines are what Python 3.11's csv.DictWriter
/// wrote with Keras's CustomDialect (excel with the given delimiter) for the same keys and values.
/// </summary>
public class CsvLoggerRuleTests
{
    private static readonly string[] OddKeys = ["a\"b", "c,d", "e\nf", "g h", "x;y"];

    private static double? Value(string key) => key switch
    {
        "a\"b" => 0.1,
        "c,d" => 1e-05,
        "e\nf" => double.NaN,
        "x;y" => -0.0,
        _ => null,
    };

    [Theory]
    [InlineData(",", "epoch,\"a\"\"b\",\"c,d\",\"e\nf\",g h,x;y\r\n", "3,0.1,1e-05,nan,NA,-0.0\r\n")]
    [InlineData("\t", "epoch\t\"a\"\"b\"\tc,d\t\"e\nf\"\tg h\tx;y\r\n", "3\t0.1\t1e-05\tnan\tNA\t-0.0\r\n")]
    [InlineData(";", "epoch;\"a\"\"b\";c,d;\"e\nf\";g h;\"x;y\"\r\n", "3;0.1;1e-05;nan;NA;-0.0\r\n")]
    public void Lines_are_pythons_csv_excel_dialect(string separator, string header, string row)
    {
        Assert.Equal(header, KerasCsv.Header(OddKeys, separator));
        Assert.Equal(row, KerasCsv.Row(3, OddKeys, Value, separator));
    }

    [Fact]
    public void Columns_are_the_first_epochs_keys_sorted_with_val_twins_when_there_is_no_validation()
    {
        Assert.Equal(["acc", "loss", "val_acc", "val_loss"], KerasCsv.KeysFor(["loss", "acc"]));
        Assert.Equal(["loss", "val_loss"], KerasCsv.KeysFor(["val_loss", "loss"]));
        Assert.Equal(["B", "_a", "a"], KerasCsv.KeysFor(["a", "_a", "B", "val_x"]).Take(3)); // ordinal, as Python's sorted()
        Assert.Empty(KerasCsv.KeysFor([]));
    }

    [Fact]
    public void The_first_row_of_a_run_truncates_unless_appending_and_later_rows_append()
    {
        var run = Runner.Run(new CsvLoggerSettings("h.csv"), Of("loss", 1, 2, 3));
        Assert.Equal([true, false, false], run.All<LogLineWriteRequested>().Select(w => w.Truncate));
        var appending = Runner.Run(new CsvLoggerSettings("h.csv") { Append = true }, Of("loss", 1, 2));
        Assert.All(appending.All<LogLineWriteRequested>(), w => Assert.False(w.Truncate));
    }

    [Fact]
    public void The_epoch_column_is_the_zero_based_epoch_and_values_are_python_str()
    {
        var run = Runner.Run(new CsvLoggerSettings("h.csv"), Of("loss", 0.1 + 0.2, 1e16, 1e-05));
        Assert.Equal(["0,0.30000000000000004,NA\r\n", "1,1e+16,NA\r\n", "2,1e-05,NA\r\n"],
            run.All<LogLineWriteRequested>().Select(w => w.Row));
        Assert.All(run.All<LogLineWriteRequested>(), w => Assert.Equal("epoch,loss,val_loss\r\n", w.Header));
    }

    [Fact]
    public void A_logger_after_reduce_lr_on_plateau_has_a_learning_rate_column()
    {
        var after = Runner.Run([new ReduceLrOnPlateauSettings { Patience = 1 }, new CsvLoggerSettings("h.csv")], Of("val_loss", 1, 1), initialLr: 0.5);
        Assert.Equal("epoch,learning_rate,val_loss\r\n", after.All<LogLineWriteRequested>().First().Header);
        Assert.Equal(["0,0.5,1.0\r\n", "1,0.5,1.0\r\n"], after.All<LogLineWriteRequested>().Select(w => w.Row));
        var before = Runner.Run([new CsvLoggerSettings("h.csv"), new ReduceLrOnPlateauSettings { Patience = 1 }], Of("val_loss", 1, 1), initialLr: 0.5);
        Assert.Equal("epoch,val_loss\r\n", before.All<LogLineWriteRequested>().First().Header);
    }

    [Fact]
    public void A_new_run_on_the_same_engine_chooses_its_columns_again_and_truncates_again()
    {
        var engine = Runner.Engine(0.1, new CsvLoggerSettings("h.csv"));
        engine.BeginEpoch(0);
        var first = engine.EndEpoch(Logs(("loss", 1.0))).Decisions.OfType<LogLineWriteRequested>().Single();
        engine.TrainBegin();
        engine.BeginEpoch(0);
        var second = engine.EndEpoch(Logs(("mse", 1.0), ("val_mse", 2.0))).Decisions.OfType<LogLineWriteRequested>().Single();
        Assert.Equal("epoch,loss,val_loss\r\n", first.Header);
        Assert.Equal("epoch,mse,val_mse\r\n", second.Header);
        Assert.True(second.Truncate);
    }
}
