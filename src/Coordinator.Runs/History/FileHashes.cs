using System.Security.Cryptography;

namespace Coordinator.Cli.History;

/// <summary>Checks a file against a recorded SHA-256 by hashing it now.</summary>
public static class FileHashes
{
    /// <summary><see cref="FileCheck.Ok"/>, <see cref="FileCheck.Missing"/> (no such file),
    /// <see cref="FileCheck.Altered"/> (different contents) or <see cref="FileCheck.Unreadable"/>.</summary>
    public static string Check(string path, string expectedSha256)
    {
        if (!File.Exists(path)) return FileCheck.Missing;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            return string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase) ? FileCheck.Ok : FileCheck.Altered;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FileCheck.Unreadable;
        }
    }
}
