using Coordinator.Core.Data;

namespace Coordinator.Core.Tests;

public sealed class TabularCsvLoaderTests
{
    private static Dataset Parse(string text, CsvFormat? format = null) =>
        TabularCsvLoader.Parse("t.csv", new StringReader(text), format ?? new CsvFormat());

    [Fact]
    public void Reads_the_shipped_digits_scaled_to_unit_range()
    {
        var digits = TabularCsvLoader.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"), new CsvFormat(Scale: 16));
        Assert.Equal((1797, 64, 10), (digits.Count, digits.FeatureCount, digits.ClassCount));
        Assert.All(digits.Features, f => Assert.InRange(f, 0f, 1f));
        Assert.Contains(digits.Features, f => f == 1f);
    }

    [Fact]
    public void A_ragged_row_names_its_line()
    {
        var e = Assert.Throws<DataError>(() => Parse("1,2,0\n3,4,1\n5,1\n"));
        Assert.Equal("t.csv: line 3: has 2 columns but line 1 has 3", e.Message);
    }

    [Fact]
    public void A_cell_that_is_not_a_number_names_line_and_column()
    {
        var e = Assert.Throws<DataError>(() => Parse("header\n1,2,0\n3,x4,1\n", new CsvFormat(HeaderLines: 1)));
        Assert.Equal("t.csv: line 3, column 2: 'x4' is not a finite number", e.Message);
    }

    [Fact]
    public void A_label_must_be_a_class_number()
    {
        var e = Assert.Throws<DataError>(() => Parse("1,2,0\n3,4,1.5\n"));
        Assert.Contains("line 2, column 3 (label): '1.5'", e.Message);
    }

    [Fact]
    public void A_missing_file_and_an_empty_file_are_named()
    {
        Assert.Contains("file not found", Assert.Throws<DataError>(() => TabularCsvLoader.Load("/no/such.csv", new CsvFormat())).Message);
        Assert.Contains("no data rows", Assert.Throws<DataError>(() => Parse("\n\n")).Message);
    }
}
