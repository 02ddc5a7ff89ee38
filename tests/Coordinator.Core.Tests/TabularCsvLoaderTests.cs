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

    [Fact]
    public void A_single_row_is_refused_saying_a_run_needs_two() =>
        Assert.Equal("t.csv: has 1 data row; a run needs at least 2 (one to train on, one to validate)",
            Assert.Throws<DataError>(() => Parse("1,2,0\n")).Message);

    [Fact]
    public void Labels_all_one_class_other_than_0_are_refused()
    {
        var e = Assert.Throws<DataError>(() => Parse("1,2,3\n3,4,3\n5,6,3\n"));
        Assert.Equal("t.csv: every label (column 3) is 3: classification needs at least two classes", e.Message);
    }

    [Fact]
    public void A_label_far_beyond_the_others_is_refused_naming_its_line_and_the_classes_without_rows()
    {
        var e = Assert.Throws<DataError>(() => Parse("1,0\n2,1\n3,2\n4,5000\n5,1\n"));
        Assert.StartsWith("t.csv: line 4, column 2 (label): '5000' makes 5001 classes (0 to 5000), but 4997 classes (3 to 4999) have no row; "
                          + "the next largest label is 2.", e.Message);
        Assert.Contains("classes 0 to K-1, each with at least one row", e.Message);
    }

    [Fact]
    public void A_class_without_rows_inside_the_range_is_refused()
    {
        var e = Assert.Throws<DataError>(() => Parse("1,0\n2,2\n3,3\n"));
        Assert.Contains("class 1 has no row", e.Message);
    }

    [Fact]
    public void Labels_that_are_every_class_0_to_K_minus_1_in_any_order_are_read()
    {
        var set = Parse("1,2\n2,0\n3,1\n4,2\n");
        Assert.Equal(3, set.ClassCount);
        Assert.Equal([2, 0, 1, 2], set.Labels);
    }

    [Theory]
    [InlineData("cut at a line boundary")]
    [InlineData("cut anywhere")]
    [InlineData("trailer missing")]
    [InlineData("trailer altered")]
    public void A_gzip_file_that_is_cut_off_or_damaged_is_refused(string damage)
    {
        var folder = Directory.CreateTempSubdirectory("gzip-").FullName;
        try
        {
            var text = string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i % 97},{i % 13},{i % 3}\n"));
            var whole = Gzip(text);
            var bytes = damage switch
            {
                // The compressed bytes of the first tenth of the rows, then nothing: a clean end of a shorter stream.
                "cut at a line boundary" => Gzip(text[..(text.IndexOf('\n', text.Length / 10) + 1)], trailer: false),
                "cut anywhere" => whole[..(whole.Length / 2)],
                "trailer missing" => whole[..^8],
                _ => [.. whole[..^1], (byte)(whole[^1] ^ 1)],
            };
            var path = Path.Combine(folder, "d.csv.gz");
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<DataError>(() => TabularCsvLoader.Load(path, new CsvFormat()));
            Assert.StartsWith(path + ": is ", e.Message);
            File.WriteAllBytes(path, whole);
            Assert.Equal(2000, TabularCsvLoader.Load(path, new CsvFormat()).Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_gz_file_that_is_not_gzip_is_refused()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("gzip-").FullName, "d.csv.gz");
        File.WriteAllText(path, "1,2,0\n3,4,1\n");
        Assert.Contains("is not a valid gzip file", Assert.Throws<DataError>(() => TabularCsvLoader.Load(path, new CsvFormat())).Message);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    private static byte[] Gzip(string text, bool trailer = true)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        var bytes = output.ToArray();
        return trailer ? bytes : bytes[..^8];
    }
}
