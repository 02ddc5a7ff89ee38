namespace Coordinator.Callbacks.Tests.TestSupport;

/// <summary>
/// An in-memory host for <see cref="LogLineWriteRequested"/>, following its contract: start the
/// file afresh on <c>Truncate</c>, write the header when the file is new or empty, then the row.
/// </summary>
public sealed class LogFiles
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    public void Apply(IEnumerable<CallbackDecision> decisions)
    {
        foreach (var w in decisions.OfType<LogLineWriteRequested>())
        {
            var text = w.Truncate ? "" : _files.GetValueOrDefault(w.Path, "");
            if (text.Length == 0) text = w.Header;
            _files[w.Path] = text + w.Row;
        }
    }

    public void Apply(RunResult run) => Apply(run.Decisions);

    public bool Exists(string path) => _files.ContainsKey(path);

    public string Text(string path) => _files[path];

    /// <summary>The file's lines without their CRLF ends.</summary>
    public IReadOnlyList<string> Lines(string path) =>
        Text(path).Split("\r\n").SkipLast(1).ToList();

    /// <summary>The rows as dictionaries keyed by the header (as Python's csv.DictReader; no quoting needed here).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Rows(string path, char separator = ',')
    {
        var lines = Lines(path);
        var header = lines[0].Split(separator);
        return lines.Skip(1)
            .Select(l => (IReadOnlyDictionary<string, string>)header.Zip(l.Split(separator)).ToDictionary(p => p.First, p => p.Second))
            .ToList();
    }
}
