using Coordinator.Core.Storage;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision;

/// <summary>Checks a file the run wrote against what its event recorded.</summary>
public static class FileCheck
{
    /// <summary>Null when the file is there with the recorded SHA-256; otherwise what is wrong.</summary>
    public static string? Problem(StoredFile file) => Problem(file.Path, file.Sha256, file.Bytes);

    public static string? Problem(string path, string sha256, long bytes)
    {
        if (!File.Exists(path)) return "missing";
        var length = new FileInfo(path).Length;
        if (length != bytes) return $"truncated or grown: {length} bytes, {bytes} recorded";
        return AtomicFile.Sha256Of(path) == sha256 ? null : "altered: its SHA-256 differs from the one recorded";
    }
}
