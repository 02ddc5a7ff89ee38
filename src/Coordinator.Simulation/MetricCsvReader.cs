using System.Globalization;
using Coordinator.Callbacks;

namespace Coordinator.Simulation;

/// <summary>
/// Reads <c>epoch,&lt;metrics&gt;</c> (or <c>epoch,batch,&lt;metrics&gt;</c>) files: values may be
/// NaN, inf, -inf, Infinity or -Infinity; an empty cell means the metric is missing from that
/// row's logs. Ragged rows and cells that are not numbers are errors naming line and column.
/// </summary>
public static class MetricCsvReader
{
    public static MetricTable ReadEpochs(string path) => Read(path, ["epoch"]);

    public static MetricTable ReadBatches(string path) => Read(path, ["epoch", "batch"]);

    public static MetricTable Read(string path, IReadOnlyList<string> indexColumns)
    {
        if (!File.Exists(path)) throw new MetricCsvError(path, 0, "file not found");
        using var reader = new StreamReader(path);
        return Parse(path, reader, indexColumns);
    }

    public static MetricTable Parse(string file, TextReader reader, IReadOnlyList<string> indexColumns)
    {
        var lineNo = 0;
        string? line;
        string[]? header = null;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            header = Split(line);
            break;
        }
        if (header is null) throw new MetricCsvError(file, 0, $"is empty; expected a header line {string.Join(",", indexColumns)},<metric names>");
        for (var i = 0; i < indexColumns.Count; i++)
            if (header.Length <= i || header[i] != indexColumns[i])
                throw new MetricCsvError(file, lineNo,
                    $"the header must start with {string.Join(",", indexColumns)}; found '{string.Join(",", header)}'");
        var metrics = header.Skip(indexColumns.Count).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in metrics)
        {
            if (m.Length == 0) throw new MetricCsvError(file, lineNo, "a column has an empty name");
            if (!seen.Add(m)) throw new MetricCsvError(file, lineNo, $"column '{m}' appears twice");
        }

        var rows = new List<MetricRow>();
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            var cells = Split(line);
            if (cells.Length != header.Length)
                throw new MetricCsvError(file, lineNo, $"has {cells.Length} fields but the header has {header.Length}");
            var epoch = Index(file, lineNo, header[0], cells[0]);
            int? batch = indexColumns.Count > 1 ? Index(file, lineNo, header[1], cells[1]) : null;
            var logs = new MetricLogs();
            for (var i = 0; i < metrics.Length; i++)
            {
                var cell = cells[i + indexColumns.Count];
                if (cell.Length == 0) continue; // missing from this row's logs
                logs[metrics[i]] = Number(cell) ?? throw new MetricCsvError(file, lineNo,
                    $"column '{metrics[i]}': '{cell}' is not a number (numbers, NaN, inf, -inf, Infinity, -Infinity, or empty for missing)");
            }
            rows.Add(new MetricRow(lineNo, epoch, batch, logs));
        }
        return new MetricTable(file, metrics, rows);
    }

    /// <summary>A CSV number as Python's <c>float()</c> reads it (case-insensitive nan/inf words).</summary>
    public static double? Number(string text)
    {
        var t = text.Trim();
        switch (t.ToLowerInvariant())
        {
            case "nan" or "+nan" or "-nan": return double.NaN;
            case "inf" or "+inf" or "infinity" or "+infinity": return double.PositiveInfinity;
            case "-inf" or "-infinity": return double.NegativeInfinity;
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    private static int Index(string file, int line, string column, string cell) =>
        int.TryParse(cell.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new MetricCsvError(file, line, $"column '{column}': '{cell}' is not a whole number, 0 or more");

    private static string[] Split(string line) =>
        line.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
}
