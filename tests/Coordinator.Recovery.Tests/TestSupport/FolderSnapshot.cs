using Coordinator.Core.Storage;

namespace Coordinator.Recovery.Tests.TestSupport;

/// <summary>Every file under a folder, by relative path, with its size and SHA-256: equal snapshots mean
/// the folder is byte for byte as it was.</summary>
public static class FolderSnapshot
{
    public static IReadOnlyList<string> Of(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(folder, f)} {new FileInfo(f).Length} {AtomicFile.Sha256Of(f)}").ToList();

    /// <summary>Copies a folder with everything in it (as <c>cp -a</c> would, times aside).</summary>
    public static void Copy(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
