namespace Coordinator.Reporting.Tests;

public class HistoryCsvTests
{
    [Fact]
    public void Writes_keras_csv_logger_text()
    {
        using var folder = new TempFolder();
        IReadOnlyList<(int, IReadOnlyDictionary<string, double>)> epochs =
        [
            (0, new Dictionary<string, double> { ["loss"] = 0.5, ["val_loss"] = 0.625, ["accuracy"] = 0.75, ["learning_rate"] = 0.001, ["val_accuracy"] = 0.7 }),
            (1, new Dictionary<string, double> { ["loss"] = 0.25, ["val_loss"] = double.NaN, ["accuracy"] = 1.0, ["learning_rate"] = 1e-05 }),
        ];

        var path = HistoryCsv.Write(epochs, folder.Path);

        Assert.Equal(Path.Combine(folder.Path, "history.csv"), path);
        Assert.Equal(
            "epoch,accuracy,learning_rate,loss,val_accuracy,val_loss\r\n" +
            "0,0.75,0.001,0.5,0.7,0.625\r\n" +
            "1,1.0,1e-05,0.25,NA,nan\r\n",
            File.ReadAllText(path));
        Assert.Equal(["history.csv"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Adds_val_twins_when_there_is_no_validation_and_honours_the_separator()
    {
        IReadOnlyList<(int, IReadOnlyDictionary<string, double>)> epochs =
        [
            (0, new Dictionary<string, double> { ["loss"] = 0.1 + 0.2, ["accuracy"] = 0.5 }),
        ];

        Assert.Equal(
            "epoch;accuracy;loss;val_accuracy;val_loss\r\n" +
            "0;0.5;0.30000000000000004;NA;NA\r\n",
            HistoryCsv.Format(epochs, ";"));
    }

    [Fact]
    public void No_epochs_no_text() => Assert.Equal("", HistoryCsv.Format([]));
}
