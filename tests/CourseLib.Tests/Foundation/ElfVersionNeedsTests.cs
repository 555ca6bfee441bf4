namespace CourseLib.Tests.Foundation;

[Trait("Category", "unit")]
public class ElfVersionNeedsTests
{
    static string LibTorchSharp() =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void Reads_the_libstdcxx_version_needs_of_LibTorchSharp()
    {
        if (!OperatingSystem.IsLinux()) return;
        var needs = ElfVersionNeeds.Read(File.ReadAllBytes(LibTorchSharp()));
        Assert.Contains(needs, n => n.File == "libstdc++.so.6" && n.Version == "GLIBCXX_3.4.32");
        Assert.Contains(needs, n => n.File == "libc.so.6" && n.Version == "GLIBC_2.2.5");
    }

    [Fact]
    public void Plan_weakens_only_the_missing_GLIBCXX_3_4_32_and_is_idempotent()
    {
        if (!OperatingSystem.IsLinux()) return;
        var original = File.ReadAllBytes(LibTorchSharp());
        var needs = ElfVersionNeeds.Read(original);
        var system = needs.Select(n => n.Version).Where(v => v != "GLIBCXX_3.4.32").ToHashSet();

        // A copy that the build may already have weakened: start from an unweakened one.
        var entry = needs.Single(n => n.Version == "GLIBCXX_3.4.32");
        var fresh = (byte[])original.Clone();
        fresh[entry.FlagsOffset] &= unchecked((byte)~0x2);

        Assert.Equal(ElfVersionNeeds.Outcome.Patched, ElfVersionNeeds.Plan(fresh, system, out var patched));
        var changed = Enumerable.Range(0, fresh.Length).Where(i => fresh[i] != patched[i]).ToArray();
        Assert.Equal(new[] { (int)entry.FlagsOffset }, changed);
        Assert.True(ElfVersionNeeds.Read(patched).Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.Equal(ElfVersionNeeds.Outcome.AlreadyPatched, ElfVersionNeeds.Plan(patched, system, out _));

        // A system that has the version needs nothing.
        system.Add("GLIBCXX_3.4.32");
        Assert.Equal(ElfVersionNeeds.Outcome.NothingToDo, ElfVersionNeeds.Plan(fresh, system, out _));
    }

    [Fact]
    public void Plan_refuses_when_another_version_is_missing()
    {
        if (!OperatingSystem.IsLinux()) return;
        var original = File.ReadAllBytes(LibTorchSharp());
        var system = ElfVersionNeeds.Read(original).Select(n => n.Version).Where(v => v != "GLIBCXX_3.4.30").ToHashSet();
        var error = Assert.Throws<InvalidOperationException>(() => ElfVersionNeeds.Plan(original, system, out _));
        Assert.Contains("GLIBCXX_3.4.30", error.Message);
    }

    [Fact]
    public void Rejects_a_file_that_is_not_ELF()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(new byte[100]));
    }
}
