using System.Globalization;

namespace Coordinator.Actors.Supervision;

/// <summary>Reads back what a CSV logger's file says (pure).</summary>
public static class CsvLogRows
{
    /// <summary>The epoch in the first cell of the file's last row; -1 when there is no row (no file, only a header).</summary>
    public static int LastEpoch(string text, string separator)
    {
        var last = text.Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (last is null) return -1;
        var cell = last.Split(separator)[0];
        return int.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) ? epoch : -1;
    }
}
