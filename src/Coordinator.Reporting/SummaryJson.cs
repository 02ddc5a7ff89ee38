using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Coordinator.Core.Reporting;
using Coordinator.Core.Storage;

namespace Coordinator.Reporting;

/// <summary>
/// <c>summary.json</c>: a <see cref="RunSummary"/> with snake_case names (run_id, status,
/// epochs_run, ..., history, lr_changes, checkpoints, final_model, error), status in lower case and
/// NaN or infinities written as <c>null</c>. Written atomically.
/// </summary>
public static class SummaryJson
{
    public const string FileName = "summary.json";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        // A file, not HTML: keep paths and reasons readable ('+', '<', non-ASCII unescaped).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <c>summary.json</c> into <paramref name="runFolder"/>; returns its path.</summary>
    public static string Write(RunSummary summary, string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        WriteFile(summary, path);
        return path;
    }

    /// <summary>Writes the summary to <paramref name="path"/> (temp file, flush, rename).</summary>
    public static void WriteFile(RunSummary summary, string path) =>
        AtomicFile.WriteAllText(path, Serialize(summary));

    /// <summary>The file's text: indented JSON with '\n' line ends and a final newline.</summary>
    public static string Serialize(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            JsonSerializer.Serialize(writer, summary, SummaryJsonContext.Default.RunSummary);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    public static RunSummary Deserialize(string json) =>
        JsonSerializer.Deserialize(json, SummaryJsonContext.Default.RunSummary)
        ?? throw new JsonException("summary.json: the JSON was null");

    /// <summary>Reads a <c>summary.json</c> (a path to the file, or to the run folder holding it).</summary>
    public static RunSummary Read(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, FileName);
        return Deserialize(File.ReadAllText(path));
    }
}
