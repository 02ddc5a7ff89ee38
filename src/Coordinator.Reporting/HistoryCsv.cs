using System.Text;
using Coordinator.Callbacks.Formatting;
using Coordinator.Core.Storage;

namespace Coordinator.Reporting;

/// <summary>
/// <c>history.csv</c> as Keras's <c>CSVLogger</c> writes it (see <see cref="KerasCsv"/>): an
/// <c>epoch</c> column, then the first epoch's keys sorted (with <c>val_</c> twins when there are no
/// validation keys), values as Python's <c>str</c>, <c>NA</c> for a missing key, CRLF line ends.
/// The epoch numbers are written as given. Written atomically.
/// </summary>
public static class HistoryCsv
{
    public const string FileName = "history.csv";

    /// <summary>Writes <c>history.csv</c> into <paramref name="runFolder"/>; returns its path.</summary>
    public static string Write(
        IReadOnlyList<(int Epoch, IReadOnlyDictionary<string, double> Logs)> epochs, string runFolder, string separator = ",")
    {
        var path = Path.Combine(runFolder, FileName);
        AtomicFile.WriteAllText(path, Format(epochs, separator));
        return path;
    }

    /// <summary>The file's text; empty when there are no epochs (Keras writes nothing then either).</summary>
    public static string Format(IReadOnlyList<(int Epoch, IReadOnlyDictionary<string, double> Logs)> epochs, string separator = ",")
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Count == 0) return "";
        var keys = KerasCsv.KeysFor(epochs[0].Logs.Keys);
        var sb = new StringBuilder(KerasCsv.Header(keys, separator));
        foreach (var (epoch, logs) in epochs)
            sb.Append(KerasCsv.Row(epoch, keys, k => logs.TryGetValue(k, out var v) ? v : null, separator));
        return sb.ToString();
    }
}
