namespace Coordinator.Simulation.Tests;

public sealed class MetricCsvReaderTests
{
    private static MetricTable Parse(string text, params string[] index) =>
        MetricCsvReader.Parse("m.csv", new StringReader(text), index.Length == 0 ? ["epoch"] : index);

    [Fact]
    public void Reads_special_values_and_treats_empty_cells_as_missing()
    {
        var t = Parse("epoch,loss,val_loss,acc\n0,NaN,inf,0.5\n1,-Infinity,,Infinity\n2,nan,-inf,\n");

        Assert.Equal(["loss", "val_loss", "acc"], t.Metrics);
        Assert.True(double.IsNaN(t.Rows[0].Logs["loss"]));
        Assert.Equal(double.PositiveInfinity, t.Rows[0].Logs["val_loss"]);
        Assert.Equal(double.NegativeInfinity, t.Rows[1].Logs["loss"]);
        Assert.False(t.Rows[1].Logs.ContainsKey("val_loss"));
        Assert.Equal(double.PositiveInfinity, t.Rows[1].Logs["acc"]);
        Assert.Equal(["loss", "val_loss"], t.Rows[2].Logs.Keys);
    }

    [Fact]
    public void A_ragged_row_names_its_line()
    {
        var e = Assert.Throws<MetricCsvError>(() => Parse("epoch,loss\n0,1.0\n1,0.9,0.3\n"));
        Assert.Equal(3, e.Line);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("3 fields but the header has 2", e.Message);
    }

    [Fact]
    public void A_cell_that_is_not_a_number_names_line_column_and_value()
    {
        var e = Assert.Throws<MetricCsvError>(() => Parse("epoch,loss,val_loss\n0,1.0,0.5\n1,0.9,abc\n"));
        Assert.Contains("line 3", e.Message);
        Assert.Contains("'val_loss'", e.Message);
        Assert.Contains("'abc'", e.Message);
    }

    [Fact]
    public void The_header_must_start_with_the_index_columns()
    {
        var e = Assert.Throws<MetricCsvError>(() => Parse("loss,epoch\n1,0\n"));
        Assert.Contains("must start with epoch", e.Message);
        var b = Assert.Throws<MetricCsvError>(() => Parse("epoch,loss\n0,1\n", "epoch", "batch"));
        Assert.Contains("epoch,batch", b.Message);
    }

    [Fact]
    public void Batch_files_carry_epoch_and_batch()
    {
        var t = Parse("epoch,batch,loss\n0,0,2.0\n0,1,1.5\n1,0,1.2\n", "epoch", "batch");
        Assert.Equal([(0, 0), (0, 1), (1, 0)], t.Rows.Select(r => (r.Epoch, r.Batch!.Value)));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<MetricCsvError>(() => MetricCsvReader.ReadEpochs("/nonexistent/metrics.csv"));
        Assert.Contains("/nonexistent/metrics.csv", e.Message);
        Assert.Contains("not found", e.Message);
    }
}
