using System.Globalization;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>Issue 15: a worker's memory cap is checked against its resident set, read from <c>/proc/PID/statm</c>.</summary>
public sealed class ResidentMemoryTests
{
    [Fact]
    public void Of_ThisProcess_AgreesWithVmRssInStatus()
    {
        var status = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var before = long.Parse(status["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;

        var resident = ResidentMemory.Of(Environment.ProcessId);

        // The two reads are a moment apart, and the test host allocates meanwhile: they agree within a few MB.
        Assert.NotNull(resident);
        Assert.InRange(resident.Value, before - (8 << 20), before + (8 << 20));
    }

    [Fact]
    public void Of_ProcessThatEnded_IsNull()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        var pid = process.Id;
        process.Dispose();

        Assert.Null(ResidentMemory.Of(pid));
    }
}
