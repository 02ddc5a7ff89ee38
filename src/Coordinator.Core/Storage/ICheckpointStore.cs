namespace Coordinator.Core.Storage;

/// <summary>
/// Where the supervisor keeps the files a run decides to keep (checkpoints, best weights, resume
/// states, the final model). Workers only hand over bytes; the supervisor writes, verifies,
/// reads back and deletes them here, so the store must be reachable from every node that can
/// host the supervisor. Paths are the store's keys; events record them with the SHA-256.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>Writes atomically (a final name never holds a partial file); returns the SHA-256 and size.</summary>
    (string Sha256, long Bytes) Write(string path, byte[] data);

    byte[] Read(string path);

    /// <summary>Null when <paramref name="path"/> holds exactly what was recorded; otherwise what is wrong.</summary>
    string? Problem(string path, string sha256, long bytes);

    void Delete(string path);

    /// <summary>Appends <paramref name="row"/> to the text log at <paramref name="path"/>, <paramref name="header"/>
    /// first when the log is new or empty; <paramref name="truncate"/> starts it afresh (see <see cref="LogFile"/>).</summary>
    void AppendLog(string path, string header, string row, bool truncate);

    /// <summary>The files under <paramref name="folder"/> (none if it does not exist).</summary>
    IEnumerable<string> List(string folder);
}
