using System.Globalization;

namespace Coordinator.Core.Data;

/// <summary>How to read a tabular CSV: features then a label column.</summary>
/// <param name="HeaderLines">Lines to skip at the top (the scikit-learn CSVs have one: "rows,cols,names...").</param>
/// <param name="Scale">Every feature is divided by this (16 for the 8x8 digits, whose pixels count 0..16).</param>
public sealed record CsvFormat(int HeaderLines = 0, double Scale = 1.0);

/// <summary>
/// Loads <c>feature,...,feature,label</c> rows (plain or .gz). Ragged rows, cells that are not
/// numbers and labels that are not whole numbers from 0 are errors naming line and column.
/// The labels are the classes 0..K-1 of a K-way classification: K is the largest label plus one,
/// there must be at least two classes, and every class 0..K-1 must have a row, so a stray large
/// label cannot silently widen the output layer and one class alone cannot "train" to accuracy 1.
/// </summary>
public static class TabularCsvLoader
{
    public static Dataset Load(string path, CsvFormat format)
    {
        if (!File.Exists(path)) throw new DataError(path, "file not found");
        var bytes = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? GzipFile.Read(path) : GzipFile.ReadBytes(path);
        using var reader = new StreamReader(new MemoryStream(bytes));
        return Parse(path, reader, format);
    }

    public static Dataset Parse(string name, TextReader reader, CsvFormat format)
    {
        if (!(format.Scale > 0) || !double.IsFinite(format.Scale))
            throw new DataError(name, $"scale = {format.Scale}: must be a finite number above 0");
        var features = new List<float>();
        var labels = new List<int>();
        var firstLine = new Dictionary<int, int>(); // class -> the first line that has it
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
            firstLine.TryAdd((int)label, lineNo);
        }
        if (labels.Count == 0) throw new DataError(name, "has no data rows");
        if (labels.Count == 1) throw new DataError(name, "has 1 data row; a run needs at least 2 (one to train on, one to validate)");
        var classes = labels.Max() + 1;
        CheckClasses(name, firstLine, classes, width);
        return new Dataset(Path.GetFileName(name), features.ToArray(), labels.ToArray(), width - 1, classes);
    }

    private static void CheckClasses(string name, Dictionary<int, int> firstLine, int classes, int width)
    {
        if (firstLine.Count < 2)
            throw new DataError(name, $"every label (column {width}) is {firstLine.Keys.Single()}: classification needs at least two classes");
        var missing = Enumerable.Range(0, classes).Where(c => !firstLine.ContainsKey(c)).ToList();
        if (missing.Count == 0) return;
        var top = classes - 1;
        var below = Enumerable.Range(0, top).Where(firstLine.ContainsKey).DefaultIfEmpty(-1).Max();
        var gap = missing.Count == 1 ? $"class {missing[0]} has" : $"{missing.Count} classes ({Ranges(missing)}) have";
        throw new DataError(name,
            $"line {firstLine[top]}, column {width} (label): '{top}' makes {classes} classes (0 to {top}), but {gap} no row" +
            $"{(below >= 0 && top - below > 1 ? $"; the next largest label is {below}" : "")}. The labels must be the classes 0 to K-1, each with at least one row");
    }

    private static string Ranges(List<int> values)
    {
        var parts = new List<string>();
        for (var i = 0; i < values.Count;)
        {
            var j = i;
            while (j + 1 < values.Count && values[j + 1] == values[j] + 1) j++;
            parts.Add(i == j ? $"{values[i]}" : $"{values[i]} to {values[j]}");
            i = j + 1;
        }
        return parts.Count > 4 ? string.Join(", ", parts.Take(4)) + ", ..." : string.Join(", ", parts);
    }

    private static int FirstDataLine(CsvFormat format) => format.HeaderLines + 1;
}
