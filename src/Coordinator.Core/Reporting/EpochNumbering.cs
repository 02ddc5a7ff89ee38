using System.Globalization;
using System.Text.RegularExpressions;

namespace Coordinator.Core.Reporting;

/// <summary>
/// The one rule for epoch numbers. In every file a run writes (summary.json, history.csv, the
/// journal's fields, TensorBoard steps, <c>history --json</c>) epochs count from 0, as Keras's
/// history and CSVLogger do; on screen (train's lines, <c>history</c>, <c>runs</c>) from 1, as Keras
/// prints them. Two exceptions, both Keras's own: checkpoint names, where Keras formats
/// <c>{epoch}</c> as epoch + 1; and the callbacks' sentences (a stop reason), which are written for
/// the screen and stored so in the journal: summary.json carries them converted to 0-based numbers.
/// </summary>
public static partial class EpochNumbering
{
    /// <summary>A screen sentence's "epoch N" (N from 1) as files count it (N - 1).</summary>
    public static string ToFile(string sentence) => Shift(sentence, -1);

    /// <summary>A file sentence's "epoch N" (N from 0) as the screen counts it (N + 1).</summary>
    public static string ToScreen(string sentence) => Shift(sentence, +1);

    private static string Shift(string sentence, int by) =>
        EpochNumber().Replace(sentence, m =>
            m.Groups[1].Value + (long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) + by).ToString(CultureInfo.InvariantCulture));

    // "epoch 12", "Epoch 12": the word, one space, the number (never "epochs 3" or "3 epochs").
    [GeneratedRegex(@"\b([Ee]poch )(\d+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex EpochNumber();
}
