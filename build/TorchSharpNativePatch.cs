// Makes TorchSharp-cpu 0.107.0's libLibTorchSharp.so load on Linux systems whose libstdc++ is older
// than GCC 13 (Debian 12 ships GCC 12). The library asks for the symbol version GLIBCXX_3.4.32 for a
// single symbol (_ZSt21ios_base_library_initv) that nothing relocates against; marking that
// version-need entry weak (VER_FLG_WEAK, 0x2 in .gnu.version_r) lets the dynamic loader accept a
// libstdc++ without it. Only that one entry is ever touched, and only where the system lacks it.
//
// This file is compiled twice: as an MSBuild inline task (build/TorchSharpNative.targets), and into
// the test project (COURSELIB_TESTS defined) so that the ELF logic has unit tests.
#nullable disable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

public static class ElfVersionNeeds
{
    /// <summary>The only version need that is safe to weaken: one symbol, no relocations.</summary>
    public const string WeakenableVersion = "GLIBCXX_3.4.32";

    const ushort VerFlagWeak = 0x2;
    const uint ShtGnuVerneed = 0x6ffffffe;

    public sealed class Need
    {
        public Need(string file, string version, ushort flags, long flagsOffset)
        {
            File = file; Version = version; Flags = flags; FlagsOffset = flagsOffset;
        }
        public string File { get; }
        public string Version { get; }
        public ushort Flags { get; }
        public long FlagsOffset { get; }
        public bool IsWeak => (Flags & VerFlagWeak) != 0;
    }

    /// <summary>Every (library, version) pair that an ELF64 little-endian shared object needs.</summary>
    public static List<Need> Read(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
        long sectionHeaders = (long)BitConverter.ToUInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A);
        int count = BitConverter.ToUInt16(elf, 0x3C);
        var needs = new List<Need>();
        for (int i = 0; i < count; i++)
        {
            long header = sectionHeaders + (long)i * entrySize;
            if (BitConverter.ToUInt32(elf, (int)header + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(elf, (int)header + 24);
            int link = (int)BitConverter.ToUInt32(elf, (int)header + 40);
            long strings = (long)BitConverter.ToUInt64(elf, (int)(sectionHeaders + (long)link * entrySize + 24));
            long need = offset;
            while (true)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                string file = CString(elf, strings + BitConverter.ToUInt32(elf, (int)need + 4));
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int k = 0; k < auxCount; k++)
                {
                    ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    string version = CString(elf, strings + BitConverter.ToUInt32(elf, (int)aux + 8));
                    needs.Add(new Need(file, version, flags, aux + 4));
                    uint nextAux = BitConverter.ToUInt32(elf, (int)aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = BitConverter.ToUInt32(elf, (int)need + 12);
                if (next == 0) break;
                need += next;
            }
        }
        return needs;
    }

    static string CString(byte[] bytes, long start)
    {
        long end = start;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }

    /// <summary>Version names (GLIBCXX_*, CXXABI_*) that a libstdc++ binary defines.</summary>
    public static HashSet<string> DefinedVersions(byte[] library)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var text = Encoding.ASCII.GetString(library);
        foreach (var prefix in new[] { "GLIBCXX_", "CXXABI_" })
        {
            int at = 0;
            while ((at = text.IndexOf(prefix, at, StringComparison.Ordinal)) >= 0)
            {
                int end = at + prefix.Length;
                while (end < text.Length && (char.IsDigit(text[end]) || text[end] == '.')) end++;
                if (end < text.Length && text[end] == '\0' && end > at + prefix.Length) found.Add(text.Substring(at, end - at));
                at = end;
            }
        }
        return found;
    }

    /// <summary>What to do with one libLibTorchSharp.so given the system's libstdc++ versions.</summary>
    public enum Outcome { NothingToDo, AlreadyPatched, Patched }

    /// <summary>
    /// Weakens the GLIBCXX_3.4.32 need when the system lacks it. Throws, naming the versions, when the
    /// system lacks any other version the library needs (weakening those would not be safe).
    /// Idempotent; returns the patched bytes through <paramref name="patched"/> when it changed them.
    /// </summary>
    public static Outcome Plan(byte[] elf, ISet<string> systemVersions, out byte[] patched)
    {
        patched = elf;
        var missing = new List<Need>();
        foreach (var need in Read(elf))
            if (need.File.StartsWith("libstdc++", StringComparison.Ordinal) && !systemVersions.Contains(need.Version))
                missing.Add(need);
        if (missing.Count == 0) return Outcome.NothingToDo;
        var unsafeNeeds = missing.FindAll(n => n.Version != WeakenableVersion);
        if (unsafeNeeds.Count > 0)
            throw new InvalidOperationException(
                "libLibTorchSharp.so needs " + string.Join(", ", unsafeNeeds.ConvertAll(n => n.Version)) +
                " from libstdc++, which this system's libstdc++ lacks; only " + WeakenableVersion +
                " can be weakened safely. Install a newer libstdc++ (GCC 13 or later).");
        var target = missing[0];
        if (target.IsWeak) return Outcome.AlreadyPatched;
        patched = (byte[])elf.Clone();
        ushort flags = (ushort)(target.Flags | VerFlagWeak);
        patched[target.FlagsOffset] = (byte)(flags & 0xff);
        patched[target.FlagsOffset + 1] = (byte)(flags >> 8);
        return Outcome.Patched;
    }

    /// <summary>The system's libstdc++.so.6, or null when none is found in the usual places.</summary>
    public static string FindSystemLibStdCxx()
    {
        foreach (var dir in new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu",
                                    "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" })
        {
            var path = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>Patches one file in place (by writing a new file over it, never through a hard link).</summary>
    public static Outcome PatchFile(string path, ISet<string> systemVersions)
    {
        var outcome = Plan(File.ReadAllBytes(path), systemVersions, out var bytes);
        if (outcome != Outcome.Patched) return outcome;
        var temporary = path + ".patching";
        File.WriteAllBytes(temporary, bytes);
        File.Delete(path);
        File.Move(temporary, path);
        return outcome;
    }
}

#if !COURSELIB_TESTS
/// <summary>MSBuild task: patch every libLibTorchSharp.so in the given files, when this system needs it.</summary>
public class PatchTorchSharpNative : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; }

    public override bool Execute()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) || Files == null || Files.Length == 0) return true;
        var libstdcxx = ElfVersionNeeds.FindSystemLibStdCxx();
        if (libstdcxx == null)
        {
            Log.LogError("CourseLib: cannot find the system's libstdc++.so.6, which TorchSharp needs. Install libstdc++6.");
            return false;
        }
        var versions = ElfVersionNeeds.DefinedVersions(File.ReadAllBytes(libstdcxx));
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                var outcome = ElfVersionNeeds.PatchFile(path, versions);
                if (outcome == ElfVersionNeeds.Outcome.Patched)
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                        $"CourseLib: {libstdcxx} lacks {ElfVersionNeeds.WeakenableVersion}; marked that unused version need weak in {path} so TorchSharp loads.");
            }
            catch (Exception e)
            {
                Log.LogError($"CourseLib: cannot make {path} loadable: {e.Message}");
                return false;
            }
        }
        return true;
    }
}
#endif
