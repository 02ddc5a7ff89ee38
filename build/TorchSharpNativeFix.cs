// Marks the GLIBCXX_3.4.32 version requirement of TorchSharp's libLibTorchSharp.so as WEAK.
//
// TorchSharp 0.107 ships a libLibTorchSharp.so built with GCC 13. Its <iostream> references
// std::ios_base_library_init() (symbol version GLIBCXX_3.4.32) only as a link-time marker; the
// symbol has no relocation and is never called. Older libstdc++ (Debian 12: GLIBCXX_3.4.30) makes
// dlopen fail on the missing version. Setting VER_FLG_WEAK (0x2) in that Vernaux entry's vna_flags
// turns the hard failure into nothing at all (ld.so only reports weak misses with LD_DEBUG).
//
// Shared source, compiled twice:
//  * by build/TorchSharpNativeFix.targets as an inline MSBuild task (RoslynCodeTaskFactory, which
//    compiles against netstandard2.0 reference assemblies: keep to that API surface), and
//  * into Coordinator.Training with COORDINATOR_TRAINING_RUNTIME defined, where the runtime guard
//    (TorchNativeGuard) uses the static helpers; the MSBuild task members are compiled out there.
// No external tools (patchelf, python) are needed; the ELF64 parsing below is self-contained.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
#if !COORDINATOR_TRAINING_RUNTIME
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

namespace Coordinator.Training
{
#if COORDINATOR_TRAINING_RUNTIME
    internal static class TorchSharpNativeFix
#else
    public sealed class TorchSharpNativeFix : Microsoft.Build.Utilities.Task
#endif
    {
        internal const string DefaultVersionName = "GLIBCXX_3.4.32";
        internal const string LibraryFileName = "libLibTorchSharp.so";

        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlgWeak = 0x2;

#if !COORDINATOR_TRAINING_RUNTIME
        /// <summary>Copies of libLibTorchSharp.so to patch (e.g. the ones in the output folder).</summary>
        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>auto: patch only when the libstdc++ in use lacks the version; always: patch anyway.</summary>
        public string Mode { get; set; } = "auto";

        public string VersionName { get; set; } = DefaultVersionName;

        public override bool Execute()
        {
            if (Files.Length == 0)
            {
                return true;
            }

            if (!string.Equals(Mode, "always", StringComparison.OrdinalIgnoreCase))
            {
                string? libstdcxx = FindLibStdCxx();
                if (libstdcxx != null && SafeDefinesVersion(libstdcxx, VersionName))
                {
                    Log.LogMessage(MessageImportance.Low,
                        "TorchSharpNativeFix: {0} provides {1}; nothing to patch.", libstdcxx, VersionName);
                    return true;
                }

                Log.LogMessage(MessageImportance.Low, "TorchSharpNativeFix: libstdc++ in use ({0}) lacks {1}.",
                    libstdcxx ?? "not found", VersionName);
            }

            foreach (ITaskItem item in Files)
            {
                string path = item.GetMetadata("FullPath");
                try
                {
                    string outcome = WeakenVersionNeed(path, VersionName);
                    Log.LogMessage(outcome == "patched" ? MessageImportance.Normal : MessageImportance.Low,
                        "TorchSharpNativeFix: {0}: {1} ({2}).", path, outcome, VersionName);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    Log.LogError("TorchSharpNativeFix: cannot patch {0}: {1}", path, e.Message);
                }
            }

            return !Log.HasLoggedErrors;
        }
#endif

        /// <summary>
        /// Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="versionName"/>. Writes a new
        /// file (copy, patch, rename over the original: never writes through a hard link into the NuGet
        /// cache) only when something changes, and keeps the original timestamp so MSBuild's incremental
        /// copy still sees the file as up to date. Returns "patched", "already weak" or "not required".
        /// </summary>
        internal static string WeakenVersionNeed(string path, string versionName)
        {
            byte[] image = File.ReadAllBytes(path);
            List<long> flagOffsets = FindVernauxFlags(image, versionName);
            if (flagOffsets.Count == 0)
            {
                return "not required";
            }

            bool changed = false;
            foreach (long offset in flagOffsets)
            {
                ushort flags = U16(image, offset);
                if ((flags & VerFlgWeak) == 0)
                {
                    int at = checked((int)offset);
                    image[at] = (byte)(image[at] | VerFlgWeak);
                    changed = true;
                }
            }

            if (!changed)
            {
                return "already weak";
            }

            DateTime lastWrite = File.GetLastWriteTimeUtc(path);
            string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                File.Copy(path, temp); // keeps the file mode
                using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write))
                {
                    foreach (long offset in flagOffsets)
                    {
                        stream.Position = offset;
                        stream.Write(image, checked((int)offset), 2);
                    }
                }

                File.SetLastWriteTimeUtc(temp, lastWrite);
                File.Replace(temp, path, null);
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }

            return "patched";
        }

        /// <summary>True when the ELF file at <paramref name="path"/> has .gnu.version_r and every
        /// <paramref name="versionName"/> requirement in it is weak (or there is none).</summary>
        internal static bool IsVersionNeedWeak(string path, string versionName)
        {
            byte[] image = File.ReadAllBytes(path);
            foreach (long offset in FindVernauxFlags(image, versionName))
            {
                if ((U16(image, offset) & VerFlgWeak) == 0)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>True when the shared object defines the symbol version (its .gnu.version_d has it).</summary>
        internal static bool DefinesVersion(string path, string versionName)
        {
            byte[] image = File.ReadAllBytes(path);
            Section[] sections = ReadSections(image);
            foreach (Section verdef in sections)
            {
                if (verdef.Type != ShtGnuVerdef)
                {
                    continue;
                }

                Section strtab = SectionAt(sections, verdef.Link);
                long entry = verdef.Offset;
                for (uint i = 0; i < verdef.Info; i++)
                {
                    // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32,
                    // vd_aux u32, vd_next u32. The first Elf64_Verdaux (vda_name u32, vda_next u32) names it.
                    Require(image, entry, 20);
                    if (U16(image, entry + 6) > 0)
                    {
                        long aux = entry + U32(image, entry + 12);
                        Require(image, aux, 8);
                        if (NameEquals(image, strtab, U32(image, aux), versionName))
                        {
                            return true;
                        }
                    }

                    uint next = U32(image, entry + 16);
                    if (next == 0)
                    {
                        break;
                    }

                    entry += next;
                }
            }

            return false;
        }

        /// <summary>As <see cref="DefinesVersion"/>, but an unreadable or odd file counts as "does not".</summary>
        internal static bool SafeDefinesVersion(string path, string versionName)
        {
            try
            {
                return DefinesVersion(path, versionName);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
            {
                return false;
            }
        }

        /// <summary>
        /// The libstdc++ the dynamic loader will bind: the one already mapped into this process
        /// (the .NET runtime links libstdc++.so.6, so it is loaded both in MSBuild and in the app),
        /// else the first of the usual system locations. Null when none is found.
        /// </summary>
        internal static string? FindLibStdCxx()
        {
            try
            {
                if (File.Exists("/proc/self/maps"))
                {
                    foreach (string line in File.ReadAllLines("/proc/self/maps"))
                    {
                        int slash = line.IndexOf('/');
                        if (slash >= 0 && Path.GetFileName(line).StartsWith("libstdc++.so", StringComparison.Ordinal))
                        {
                            return line.Substring(slash).Trim();
                        }
                    }
                }
            }
            catch (IOException)
            {
                // Fall through to the well-known locations.
            }

            string[] candidates =
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6",
                "/lib64/libstdc++.so.6",
                "/usr/lib/libstdc++.so.6",
            };
            foreach (string candidate in candidates)
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        /// <summary>File offsets of vna_flags for each Vernaux named <paramref name="versionName"/>.</summary>
        private static List<long> FindVernauxFlags(byte[] image, string versionName)
        {
            var result = new List<long>();
            Section[] sections = ReadSections(image);
            Section shstrtab = SectionAt(sections, ReadShStrNdx(image, sections));
            foreach (Section verneed in sections)
            {
                if (!NameEquals(image, shstrtab, verneed.Name, ".gnu.version_r"))
                {
                    continue;
                }

                if (verneed.Type != ShtGnuVerneed)
                {
                    throw new InvalidDataException(".gnu.version_r is not of type SHT_GNU_verneed.");
                }

                Section dynstr = SectionAt(sections, verneed.Link);
                long entry = verneed.Offset;
                for (uint i = 0; i < verneed.Info; i++)
                {
                    // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
                    Require(image, entry, 16);
                    ushort count = U16(image, entry + 2);
                    long aux = entry + U32(image, entry + 8);
                    for (int j = 0; j < count; j++)
                    {
                        // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                        Require(image, aux, 16);
                        if (NameEquals(image, dynstr, U32(image, aux + 8), versionName))
                        {
                            result.Add(aux + 4);
                        }

                        uint nextAux = U32(image, aux + 12);
                        if (nextAux == 0)
                        {
                            break;
                        }

                        aux += nextAux;
                    }

                    uint next = U32(image, entry + 12);
                    if (next == 0)
                    {
                        break;
                    }

                    entry += next;
                }
            }

            return result;
        }

        private static Section[] ReadSections(byte[] image)
        {
            // Elf64_Ehdr: e_ident[16]; e_shoff u64 @0x28; e_shentsize u16 @0x3A; e_shnum u16 @0x3C.
            Require(image, 0, 64);
            if (image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            {
                throw new InvalidDataException("Not an ELF file.");
            }

            if (image[4] != 2 || image[5] != 1)
            {
                throw new InvalidDataException("Only little-endian ELF64 is supported.");
            }

            long shoff = checked((long)U64(image, 0x28));
            ushort shentsize = U16(image, 0x3A);
            long shnum = U16(image, 0x3C);
            if (shoff == 0 || shentsize < 64)
            {
                throw new InvalidDataException("ELF file has no section headers.");
            }

            if (shnum == 0)
            {
                // Extended numbering: the real count is in section 0's sh_size.
                Require(image, shoff, 64);
                shnum = checked((long)U64(image, shoff + 32));
            }

            Require(image, shoff, checked(shnum * shentsize));
            var sections = new Section[shnum];
            for (long i = 0; i < shnum; i++)
            {
                // Elf64_Shdr: sh_name u32 @0, sh_type u32 @4, sh_offset u64 @24, sh_size u64 @32,
                // sh_link u32 @40, sh_info u32 @44.
                long at = shoff + (i * shentsize);
                var section = new Section
                {
                    Name = U32(image, at),
                    Type = U32(image, at + 4),
                    Offset = checked((long)U64(image, at + 24)),
                    Size = checked((long)U64(image, at + 32)),
                    Link = U32(image, at + 40),
                    Info = U32(image, at + 44),
                };
                if (section.Type != 8) // SHT_NOBITS occupies no file space
                {
                    Require(image, section.Offset, section.Size);
                }

                sections[i] = section;
            }

            return sections;
        }

        private static uint ReadShStrNdx(byte[] image, Section[] sections)
        {
            ushort index = U16(image, 0x3E);
            return index == 0xffff ? sections[0].Link : index; // SHN_XINDEX
        }

        private static Section SectionAt(Section[] sections, uint index)
        {
            if (index == 0 || index >= sections.Length)
            {
                throw new InvalidDataException("Section index " + index + " out of range.");
            }

            return sections[index];
        }

        private static bool NameEquals(byte[] image, Section strtab, uint nameOffset, string expected)
        {
            if (nameOffset >= strtab.Size)
            {
                throw new InvalidDataException("String offset outside its string table.");
            }

            byte[] bytes = Encoding.ASCII.GetBytes(expected);
            long start = strtab.Offset + nameOffset;
            if (start + bytes.Length >= strtab.Offset + strtab.Size)
            {
                return false;
            }

            for (int k = 0; k < bytes.Length; k++)
            {
                if (image[start + k] != bytes[k])
                {
                    return false;
                }
            }

            return image[start + bytes.Length] == 0;
        }

        private static void Require(byte[] image, long offset, long length)
        {
            if (offset < 0 || length < 0 || offset + length > image.LongLength)
            {
                throw new InvalidDataException("ELF structure extends past the end of the file.");
            }
        }

        private static ushort U16(byte[] b, long o) => (ushort)(b[o] | (b[o + 1] << 8));

        private static uint U32(byte[] b, long o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));

        private static ulong U64(byte[] b, long o) => U32(b, o) | ((ulong)U32(b, o + 4) << 32);

        private struct Section
        {
            public uint Name;
            public uint Type;
            public long Offset;
            public long Size;
            public uint Link;
            public uint Info;
        }
    }
}
