using System.Reflection;
using TorchSharp;

namespace Coordinator.Training.Tests;

public sealed class TorchSharpNativeFixTests : IDisposable
{
    private const string Version = TorchSharpNativeFix.DefaultVersionName;
    private readonly string directory = Directory.CreateTempSubdirectory("torchsharp-nativefix-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [LinuxFact("the package ships this ELF file for linux-x64 only", X64Only = true)]
    public void Marks_the_GLIBCXX_3_4_32_requirement_weak_in_a_copy_and_only_once()
    {
        string pristine = PristinePackageCopy();
        string copy = Path.Combine(directory, TorchSharpNativeFix.LibraryFileName);
        File.Copy(pristine, copy);
        Assert.False(TorchSharpNativeFix.IsVersionNeedWeak(copy, Version), "the package copy should be unpatched");

        Assert.Equal("patched", TorchSharpNativeFix.WeakenVersionNeed(copy, Version));
        Assert.True(TorchSharpNativeFix.IsVersionNeedWeak(copy, Version));
        Assert.Equal("already weak", TorchSharpNativeFix.WeakenVersionNeed(copy, Version));

        byte[] before = File.ReadAllBytes(pristine);
        byte[] after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        int[] changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        int offset = Assert.Single(changed);
        Assert.Equal(before[offset] | 0x2, after[offset]); // VER_FLG_WEAK set in one vna_flags, nothing else
        Assert.Equal(File.GetLastWriteTimeUtc(pristine), File.GetLastWriteTimeUtc(copy));
        Assert.False(TorchSharpNativeFix.IsVersionNeedWeak(pristine, Version), "the NuGet cache must stay untouched");
    }

    [LinuxFact("it patches a copy of the machine's libstdc++.so.6")]
    public void Leaves_files_without_that_requirement_alone()
    {
        string? libstdcxx = TorchSharpNativeFix.FindLibStdCxx();
        Assert.NotNull(libstdcxx); // the .NET runtime itself links libstdc++.so.6
        Assert.True(TorchSharpNativeFix.DefinesVersion(libstdcxx, "GLIBCXX_3.4")); // the base version, always there
        Assert.False(TorchSharpNativeFix.DefinesVersion(libstdcxx, "GLIBCXX_9.9.9"));

        string copy = Path.Combine(directory, "libstdc++.so.6");
        File.Copy(libstdcxx, copy);
        Assert.Equal("not required", TorchSharpNativeFix.WeakenVersionNeed(copy, Version));
    }

    [Fact]
    public void Rejects_files_that_are_not_elf()
    {
        string path = Path.Combine(directory, "not-elf.so");
        File.WriteAllBytes(path, new byte[128]);

        Assert.Throws<InvalidDataException>(() => TorchSharpNativeFix.WeakenVersionNeed(path, Version));
    }

    private static string PristinePackageCopy()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string version = typeof(torch).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        string path = Path.Combine(
            packages, "torchsharp", version, "runtimes", "linux-x64", "native", TorchSharpNativeFix.LibraryFileName);
        Assert.True(File.Exists(path), $"pristine package copy not found at {path}");
        return path;
    }
}
