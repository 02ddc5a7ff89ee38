using System.Runtime.InteropServices;

namespace Coordinator.Training.Tests;

/// <summary>
/// A fact that can only run on Linux (with <see cref="X64Only"/>, on Linux x64). Elsewhere it is
/// reported as skipped with the reason, rather than returning early and counting as a pass.
/// </summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    private readonly string _reason;

    /// <param name="reason">Why the test needs Linux, for the skip message.</param>
    public LinuxFactAttribute(string reason) => (_reason, Skip) = (reason, SkipReason(x64Only: false, reason));

    /// <summary>Also require an x64 machine.</summary>
    public bool X64Only
    {
        get => field;
        set => (field, Skip) = (value, SkipReason(value, _reason));
    }

    private static string? SkipReason(bool x64Only, string reason) =>
        !OperatingSystem.IsLinux() ? $"needs Linux ({reason}); this is {RuntimeInformation.OSDescription}"
        : x64Only && RuntimeInformation.OSArchitecture != Architecture.X64
            ? $"needs Linux x64 ({reason}); this machine is {RuntimeInformation.OSArchitecture}"
            : null;
}
