namespace Coordinator.Core.Storage;

/// <summary>
/// A text log that grows a row at a time (a CSV logger's file): the header goes first when the file is
/// new or empty, <c>truncate</c> starts it afresh, and each row is flushed as it is written, as Keras's
/// CSVLogger flushes after every epoch.
/// </summary>
public static class LogFile
{
    public static void Append(string path, string header, string row, bool truncate)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        using var stream = new FileStream(path, truncate ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.Read);
        using var text = new StreamWriter(stream);
        if (stream.Length == 0) text.Write(header);
        text.Write(row);
    }
}
