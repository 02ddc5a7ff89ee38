using Coordinator.Core.Storage;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision;

/// <summary>Checks a file the run wrote (on a file system) against what its event recorded.</summary>
public static class FileCheck
{
    /// <summary>Null when the file is there with the recorded SHA-256; otherwise what is wrong. A relative
    /// recorded path is relative to <paramref name="runFolder"/>.</summary>
    public static string? Problem(StoredFile file, string runFolder) => Problem(Path.Combine(runFolder, file.Path), file.Sha256, file.Bytes);

    public static string? Problem(string path, string sha256, long bytes) => FileCheckpointStore.Instance.Problem(path, sha256, bytes);
}
