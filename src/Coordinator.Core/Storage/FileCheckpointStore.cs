namespace Coordinator.Core.Storage;

/// <summary>The checkpoint store on a file system (a local disk, or a volume every supervisor node mounts).</summary>
/// <param name="faults">Crash tests' fault injection (held writes); <see cref="FaultInjection.None"/> otherwise.</param>
public sealed class FileCheckpointStore(FaultInjection faults) : ICheckpointStore
{
    public static readonly FileCheckpointStore Instance = new(FaultInjection.None);

    public (string Sha256, long Bytes) Write(string path, byte[] data) => AtomicFile.WriteAllBytes(path, data, faults);

    public byte[] Read(string path) => File.ReadAllBytes(path);

    public string? Problem(string path, string sha256, long bytes)
    {
        if (!File.Exists(path)) return "missing";
        var length = new FileInfo(path).Length;
        if (length != bytes) return $"truncated or grown: {length} bytes, {bytes} recorded";
        return AtomicFile.Sha256Of(path) == sha256 ? null : "altered: its SHA-256 differs from the one recorded";
    }

    public void Delete(string path) => File.Delete(path);

    public void AppendLog(string path, string header, string row, bool truncate) => LogFile.Append(path, header, row, truncate);

    public IEnumerable<string> List(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder).ToList() : [];
}
