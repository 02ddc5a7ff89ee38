using System.Security.Cryptography;

namespace Coordinator.Core.Storage;

/// <summary>
/// Writes files so that a final name never holds a partial file: write to a temporary name in
/// the same folder, flush to disk, then rename over the final name. Returns the SHA-256 and size.
/// </summary>
public static class AtomicFile
{
    public const string TemporaryMarker = ".partial-";

    public static (string Sha256, long Bytes) Write(string path, Action<Stream> write) => Write(path, write, hashFile: true, null);

    private static (string Sha256, long Bytes) Write(string path, Action<Stream> write, bool hashFile, FaultInjection? faults)
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
            faults?.BeforeRename();
            var digest = hashFile ? Sha256Of(temporary) : "";
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

    /// <summary>Writes <paramref name="bytes"/> atomically; the SHA-256 is of the bytes in hand (no read-back).
    /// <paramref name="faults"/> (crash tests) may hold the write before its rename.</summary>
    public static (string Sha256, long Bytes) WriteAllBytes(string path, byte[] bytes, FaultInjection? faults = null)
    {
        Write(path, stream => stream.Write(bytes, 0, bytes.Length), hashFile: false, faults);
        return (Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }

    public static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
