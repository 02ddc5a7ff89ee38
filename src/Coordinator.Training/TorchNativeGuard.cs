using TorchSharp;

namespace Coordinator.Training;

/// <summary>
/// Runtime half of build/TorchSharpNativeFix.targets. TorchSharp 0.107 first loads libLibTorchSharp.so
/// through the normal native probing (the app's deps.json directories); only if that fails does it copy
/// every native from ~/.nuget/packages into a <c>cpu/</c> folder beside TorchSharp.dll (~0.5 GB, the
/// unpatched library included) and load it from there. Before TorchSharp is touched, this guard makes
/// sure the copies it would load carry the WEAK GLIBCXX_3.4.32 requirement when the libstdc++ in use
/// lacks that version, so outputs built without the targets (or a stale cpu/ folder) still load.
/// Files in the NuGet cache are never modified.
/// </summary>
internal static class TorchNativeGuard
{
    private const string VersionName = TorchSharpNativeFix.DefaultVersionName;

    public static void EnsureLoadable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string? libstdcxx = TorchSharpNativeFix.FindLibStdCxx();
        if (libstdcxx is not null && TorchSharpNativeFix.SafeDefinesVersion(libstdcxx, VersionName))
        {
            return;
        }

        foreach (string path in CandidatePaths())
        {
            try
            {
                if (File.Exists(path) && !TorchSharpNativeFix.IsVersionNeedWeak(path, VersionName))
                {
                    TorchSharpNativeFix.WeakenVersionNeed(path, VersionName);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                throw new InvalidOperationException(
                    $"TorchSharp's {path} requires {VersionName}, which the libstdc++ in use " +
                    $"({libstdcxx ?? "not found"}) lacks, and marking that requirement weak failed: {e.Message} " +
                    "Build the application with build/TorchSharpNativeFix.targets imported, " +
                    "or make the output folder writable.",
                    e);
            }
        }
    }

    private static IEnumerable<string> CandidatePaths()
    {
        var directories = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
        {
            directories.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }

        string? torchDirectory = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchDirectory))
        {
            directories.Add(torchDirectory);
            directories.Add(Path.Combine(torchDirectory, "cpu"));
        }

        string nugetCache = Path.GetFullPath(
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"));

        return directories
            .Select(directory => Path.GetFullPath(Path.Combine(directory, TorchSharpNativeFix.LibraryFileName)))
            .Where(path => !path.StartsWith(nugetCache + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);
    }
}
