using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Coordinator.Cli.History;

/// <summary>The JSON of <c>history --json</c> (one array of typed entries) and <c>runs --json</c>
/// (one array of runs): indented, '\n' line ends, paths and reasons unescaped.</summary>
public static class HistoryJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(IReadOnlyList<HistoryEntry> entries) =>
        Write(writer => JsonSerializer.Serialize(writer, entries, HistoryJsonContext.Default.IReadOnlyListHistoryEntry));

    public static string Serialize(IReadOnlyList<RunListing> runs) =>
        Write(writer => JsonSerializer.Serialize(writer, runs, HistoryJsonContext.Default.IReadOnlyListRunListing));

    public static IReadOnlyList<HistoryEntry> DeserializeHistory(string json) =>
        JsonSerializer.Deserialize(json, HistoryJsonContext.Default.IReadOnlyListHistoryEntry)
        ?? throw new JsonException("history: the JSON was null");

    public static IReadOnlyList<RunListing> DeserializeRuns(string json) =>
        JsonSerializer.Deserialize(json, HistoryJsonContext.Default.IReadOnlyListRunListing)
        ?? throw new JsonException("runs: the JSON was null");

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) write(writer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
