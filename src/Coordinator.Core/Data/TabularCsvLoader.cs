using System.Globalization;
using System.IO.Compression;

namespace Coordinator.Core.Data;

/// <summary>How to read a tabular CSV: features then a label column.</summary>
/// <param name="HeaderLines">Lines to skip at the top (the scikit-learn CSVs have one: "rows,cols,names...").</param>
/// <param name="Scale">Every feature is divided by this (16 for the 8x8 digits, whose pixels count 0..16).</param>
public sealed record CsvFormat(int HeaderLines = 0, double Scale = 1.0);

/// <summary>
/// Loads <c>feature,...,feature,label</c> rows (plain or .gz). Ragged rows, cells that are not
/// numbers and labels that are not whole numbers from 0 are errors naming line and column.
/// </summary>
public static class TabularCsvLoader
{
    public static Dataset Load(string path, CsvFormat format)
    {
        if (!File.Exists(path)) throw new DataError(path, "file not found");
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        return Parse(path, reader, format);
    }

    public static Dataset Parse(string name, TextReader reader, CsvFormat format)
    {
        if (!(format.Scale > 0) || !double.IsFinite(format.Scale))
            throw new DataError(name, $"scale = {format.Scale}: must be a finite number above 0");
        var features = new List<float>();
        var labels = new List<int>();
        var width = -1;
        var lineNo = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (lineNo <= format.HeaderLines || line.Trim().Length == 0) continue;
            var cells = line.Split(',');
            if (width < 0)
            {
                if (cells.Length < 2) throw new DataError(name, $"line {lineNo}: needs at least one feature and a label column");
                width = cells.Length;
            }
            else if (cells.Length != width)
                throw new DataError(name, $"line {lineNo}: has {cells.Length} columns but line {FirstDataLine(format)} has {width}");
            for (var c = 0; c < width - 1; c++)
            {
                if (!double.TryParse(cells[c].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                    throw new DataError(name, $"line {lineNo}, column {c + 1}: '{cells[c].Trim()}' is not a finite number");
                features.Add((float)(v / format.Scale));
            }
            var labelText = cells[^1].Trim();
            if (!double.TryParse(labelText, NumberStyles.Float, CultureInfo.InvariantCulture, out var label) || label < 0 || label != Math.Floor(label) || label > 100_000)
                throw new DataError(name, $"line {lineNo}, column {width} (label): '{labelText}' is not a class number 0, 1, 2, ...");
            labels.Add((int)label);
        }
        if (labels.Count == 0) throw new DataError(name, "has no data rows");
        var classes = labels.Max() + 1;
        if (classes < 2) throw new DataError(name, "has a single class; classification needs at least two");
        return new Dataset(Path.GetFileName(name), features.ToArray(), labels.ToArray(), width - 1, classes);
    }

    private static int FirstDataLine(CsvFormat format) => format.HeaderLines + 1;
}
