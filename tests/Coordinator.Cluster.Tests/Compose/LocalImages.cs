using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Coordinator.Cluster.Tests.Compose;

/// <summary>
/// The images docker-compose.local.yml builds, made as a user without a container registry makes them:
/// a Debian base image from the mirror apt already uses (debootstrap, docker import; made once per
/// engine, whose data root keeps it), a self-contained <c>dotnet publish</c> into out/docker/publish
/// (redone only when its inputs changed: their SHA-256 is kept beside it), then <c>docker-compose build</c>
/// (BuildKit: incremental). The time each step took is kept for the test output.
/// </summary>
public static partial class LocalImages
{
    public const string BaseImage = "localhost/debian:bookworm";
    public const string PublishFolder = "out/docker/publish";
    private const string InputsFile = ".inputs-sha256";

    public static void EnsureBaseImage(DockerEngine engine, ICollection<string> timings)
    {
        if (engine.Run(engine.Client, ["image", "inspect", BaseImage], TimeSpan.FromSeconds(30)).Exit == 0)
        {
            timings.Add($"base image {BaseImage}: cached");
            return;
        }
        var debootstrap = DockerEngine.Tool("debootstrap");
        var mirror = DebianMirror();
        var root = Directory.CreateTempSubdirectory("coordinator-debian-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            engine.Checked(debootstrap, ["--variant=minbase", "bookworm", root, mirror], TimeSpan.FromMinutes(10));
            var bootstrapped = clock.Elapsed;
            // tar -C root -c . | docker import - IMAGE
            var tar = new ProcessStartInfo("tar") { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var a in new[] { "-C", root, "--numeric-owner", "-c", "." }) tar.ArgumentList.Add(a);
            using var archive = Process.Start(tar)!;
            var imported = engine.Run(engine.Client, ["import", "-", BaseImage], TimeSpan.FromMinutes(5), stdin: archive.StandardOutput.BaseStream);
            archive.WaitForExit();
            if (imported.Exit != 0 || archive.ExitCode != 0)
                throw new InvalidOperationException($"docker import of the debootstrap tree failed (tar exit {archive.ExitCode}): {imported}");
            timings.Add($"base image {BaseImage}: debootstrap from {mirror} {bootstrapped.TotalSeconds:0} s, import {(clock.Elapsed - bootstrapped).TotalSeconds:0} s");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The first Debian mirror in the machine's apt sources (deb822 or one-line format).</summary>
    public static string DebianMirror()
    {
        var files = new[] { "/etc/apt/sources.list" }.Concat(Directory.Exists("/etc/apt/sources.list.d")
            ? Directory.GetFiles("/etc/apt/sources.list.d").Order() : []).Where(File.Exists);
        foreach (var line in files.SelectMany(File.ReadLines).Where(l => !l.TrimStart().StartsWith('#')))
            if (MirrorPattern().Match(line + " ") is { Success: true } m) return m.Groups["url"].Value;
        throw new InvalidOperationException("no Debian mirror (…/debian) found in /etc/apt/sources.list or sources.list.d");
    }

    /// <summary>A self-contained publish of the CLI in out/docker/publish, redone only when a source changed.</summary>
    public static void EnsurePublished(DockerEngine engine, string repo, ICollection<string> timings)
    {
        var folder = Path.Combine(repo, PublishFolder);
        var inputs = InputsHash(repo);
        var stamp = Path.Combine(folder, InputsFile);
        if (File.Exists(stamp) && File.ReadAllText(stamp).Trim() == inputs)
        {
            timings.Add($"publish: cached ({inputs[..12]})");
            return;
        }
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var clock = Stopwatch.StartNew();
        // Its own intermediate folders (--artifacts-path), so the Debug builds the tests run from stay as they are.
        engine.Checked("dotnet", ["publish", "src/Coordinator.Cli", "-c", "Release", "-r", "linux-x64", "--self-contained",
            "--artifacts-path", Path.Combine(repo, "out", "docker", "artifacts"), "-o", folder, "--nologo", "-v", "quiet"],
            TimeSpan.FromMinutes(15), workingDirectory: repo);
        File.WriteAllText(stamp, inputs);
        timings.Add($"publish (self-contained, Release): {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>docker-compose build with the local override: the PostgreSQL image and the coordinator image.</summary>
    public static void Build(DockerEngine engine, string repo, ICollection<string> timings)
    {
        var clock = Stopwatch.StartNew();
        engine.Checked(engine.Compose, ["-f", "docker-compose.yml", "-f", "docker-compose.local.yml", "build"], TimeSpan.FromMinutes(15),
            new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "1", ["COMPOSE_DOCKER_CLI_BUILD"] = "1" }, repo);
        timings.Add($"docker-compose build: {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>SHA-256 over the paths and contents of everything the publish reads (bin/ and obj/ aside).</summary>
    private static string InputsHash(string repo)
    {
        var files = new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" }.Select(f => Path.Combine(repo, f)).Where(File.Exists)
            .Concat(new[] { "src", "build", "hocon" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(repo, d), "*", SearchOption.AllDirectories)))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Select(f => Path.GetRelativePath(repo, f)).Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\0"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(repo, file)));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [GeneratedRegex(@"(?<url>https?://[^\s]+/debian)/?(?=[\s])")]
    private static partial Regex MirrorPattern();
}
