using System.Security.Cryptography;

namespace Coordinator.Core.Storage;

/// <summary>
/// Writes files so that a final name never holds a partial file: write to a temporary name in
/// the same folder, flush to disk, then rename over the final name. Returns the SHA-256 and size.
/// </summary>
public static class AtomicFile
{
    public const string TemporaryMarker = ".partial-";

    public static (string Sha256, long Bytes) Write(string path, Action<Stream> write)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, Path.GetFileName(path) + TemporaryMarker + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            FaultInjection.BeforeRename();
            var digest = Sha256Of(temporary);
            var bytes = new FileInfo(temporary).Length;
            File.Move(temporary, path, overwrite: true);
            return (digest, bytes);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Text as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));

    public static (string Sha256, long Bytes) WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes, 0, bytes.Length));

    public static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
