using Coordinator.Simulation;
using Coordinator.Testing.Scripts;

namespace Coordinator.Testing.Tests;

/// <summary>Metric scripts from CSV files as <c>coordinator simulate</c> reads them, and their checks.</summary>
public sealed class MetricScriptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("metric-script-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_metrics_file_gives_each_epoch_its_logs_and_a_history_csv_reads_too()
    {
        var script = MetricScript.FromCsv(File("history.csv", """
            epoch,accuracy,learning_rate,loss,val_accuracy,val_loss
            0,0.5,0.01,1.5,0.25,1.75
            1,0.75,0.01,NaN,,
            """));

        Assert.Equal([new EpochMetrics(1.5, 0.5, 1.75, 0.25), new EpochMetrics(double.NaN, 0.75)], script.Epochs);
    }

    [Fact]
    public void A_batch_file_gives_the_running_loss_of_each_batch()
    {
        var script = MetricScript.FromCsv(File("m.csv", "epoch,loss\n0,1.0\n1,0.5\n"), File("b.csv", "epoch,batch,loss,accuracy\n0,0,1.25,0.5\n0,1,1.0,0.5\n1,0,inf,0.5\n"));

        Assert.Equal([1.25, 1.0], script.BatchLosses(0, steps: 7));
        Assert.Equal([double.PositiveInfinity], script.BatchLosses(1, steps: 7));
    }

    [Fact]
    public void Columns_beyond_the_four_are_played_as_further_metrics_by_name()
    {
        var script = MetricScript.FromCsv(File("more.csv", "epoch,loss,mae,val_mae,learning_rate\n0,1,2,3,0.1\n"));
        Assert.Equal(new Dictionary<string, double> { ["mae"] = 2, ["val_mae"] = 3 }, script.Epochs[0].Others);
    }

    [Theory]
    [InlineData("epoch,loss\n0,1\n2,1\n", "line 3: epoch 2 where epoch 1 was expected")]
    [InlineData("epoch,loss,accuracy\n0,,0.5\n", "line 2: loss is missing")]
    public void A_metrics_file_the_workers_cannot_play_is_an_error_naming_the_line(string csv, string error)
    {
        var e = Assert.Throws<MetricCsvError>(() => MetricScript.FromCsv(File("bad.csv", csv)));
        Assert.Contains(error, e.Message);
    }

    [Theory]
    [InlineData(1.5, null, "accuracy 1.5 is not a fraction between 0 and 1")]
    [InlineData(0.5, 0.5, "val_accuracy without val_loss")]
    public void Values_the_supervisor_cannot_log_are_refused(double accuracy, double? valAccuracy, string error)
    {
        var e = Assert.Throws<ArgumentException>(() => MetricScript.Of(2, _ => new EpochMetrics(1, accuracy, null, valAccuracy)));
        Assert.Contains(error, e.Message);
    }
}
