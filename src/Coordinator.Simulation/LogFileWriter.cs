using Coordinator.Callbacks;

namespace Coordinator.Simulation;

/// <summary>Carries out a CSV logger's <see cref="LogLineWriteRequested"/> on the file system.</summary>
public static class LogFileWriter
{
    public static void Apply(LogLineWriteRequested write)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(write.Path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        var fresh = write.Truncate || !File.Exists(write.Path) || new FileInfo(write.Path).Length == 0;
        using var stream = new FileStream(write.Path, write.Truncate ? FileMode.Create : FileMode.Append, FileAccess.Write);
        using var text = new StreamWriter(stream);
        if (fresh) text.Write(write.Header);
        text.Write(write.Row);
    }
}
