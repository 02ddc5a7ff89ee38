using Coordinator.Callbacks;
using Coordinator.Core.Storage;

namespace Coordinator.Simulation;

/// <summary>Carries out a CSV logger's <see cref="LogLineWriteRequested"/> on the file system.</summary>
public static class LogFileWriter
{
    public static void Apply(LogLineWriteRequested write)
    {
        try
        {
            LogFile.Append(write.Path, write.Header, write.Row, write.Truncate);
        }
        catch (Exception e) when (IsFileProblem(e))
        {
            throw new CallbackException(write.Source, $"cannot write {write.Path}: {e.Message}");
        }
    }

    /// <summary>
    /// Why <paramref name="path"/> cannot be written, or null if it can: found out by creating it
    /// (and any missing folders) and removing again what did not exist before, so a replay refused
    /// for another reason leaves nothing behind.
    /// </summary>
    public static string? Problem(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full)) return "it is a folder";
            var missing = new List<string>(); // deepest first
            for (var d = Path.GetDirectoryName(full); d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d)) missing.Add(d);
            var existed = File.Exists(full);
            try
            {
                for (var i = missing.Count - 1; i >= 0; i--) Directory.CreateDirectory(missing[i]);
                using (new FileStream(full, FileMode.Append, FileAccess.Write)) { }
            }
            finally
            {
                if (!existed && File.Exists(full)) File.Delete(full);
                foreach (var d in missing.Where(Directory.Exists)) Directory.Delete(d);
            }
            return null;
        }
        catch (Exception e) when (IsFileProblem(e))
        {
            return e.Message;
        }
    }

    private static bool IsFileProblem(Exception e) =>
        e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException;
}
