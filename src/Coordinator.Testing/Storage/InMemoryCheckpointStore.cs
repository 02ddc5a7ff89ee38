using System.Collections.Concurrent;
using System.Security.Cryptography;
using Coordinator.Core.Storage;

namespace Coordinator.Testing.Storage;

/// <summary>
/// A checkpoint store in memory, checked as the file store checks files (missing, size, SHA-256), so a
/// scenario touches no disk. It can corrupt files as they are written (the bytes kept differ from the
/// bytes whose SHA-256 was recorded, as a disk that altered them would) and fail writes.
/// </summary>
public sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Func<string, bool> _corrupt;
    private readonly Func<string, bool> _failWrite;

    /// <param name="corrupt">Paths whose content is altered right after it is written.</param>
    /// <param name="failWrite">Paths whose write fails with an <see cref="IOException"/>.</param>
    public InMemoryCheckpointStore(Func<string, bool>? corrupt = null, Func<string, bool>? failWrite = null) =>
        (_corrupt, _failWrite) = (corrupt ?? (_ => false), failWrite ?? (_ => false));

    /// <summary>Every file now in the store, by full path.</summary>
    public IReadOnlyDictionary<string, byte[]> Files => _files;

    public (string Sha256, long Bytes) Write(string path, byte[] data)
    {
        if (_failWrite(path)) throw new IOException($"simulated write failure of {path}");
        var kept = data.ToArray();
        if (_corrupt(path) && kept.Length > 0) kept[0] ^= 0xFF;
        _files[Key(path)] = kept;
        return (Convert.ToHexStringLower(SHA256.HashData(data)), data.Length);
    }

    public byte[] Read(string path) =>
        _files.TryGetValue(Key(path), out var data) ? data.ToArray() : throw new FileNotFoundException($"{path} is not in the store", path);

    public string? Problem(string path, string sha256, long bytes)
    {
        if (!_files.TryGetValue(Key(path), out var data)) return "missing";
        if (data.Length != bytes) return $"truncated or grown: {data.Length} bytes, {bytes} recorded";
        return Convert.ToHexStringLower(SHA256.HashData(data)) == sha256 ? null : "altered: its SHA-256 differs from the one recorded";
    }

    public void Delete(string path) => _files.TryRemove(Key(path), out _);

    public void AppendLog(string path, string header, string row, bool truncate)
    {
        if (_failWrite(path)) throw new IOException($"simulated write failure of {path}");
        var before = !truncate && _files.TryGetValue(Key(path), out var data) ? data : [];
        _files[Key(path)] = [.. before, .. System.Text.Encoding.UTF8.GetBytes(before.Length == 0 ? header + row : row)];
    }

    public IEnumerable<string> List(string folder)
    {
        var full = Path.GetFullPath(folder);
        return _files.Keys.Where(k => string.Equals(Path.GetDirectoryName(k), full, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
    }

    private static string Key(string path) => Path.GetFullPath(path);
}
