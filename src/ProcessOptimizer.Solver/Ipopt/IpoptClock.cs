using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// Points IPOPT's import of <c>getrusage</c> at the monotonic clock, so that IPOPT's internal timing costs
/// nanoseconds instead of system calls.
/// </summary>
/// <remarks>
/// IPOPT 3.11 times every internal task with <c>getrusage(RUSAGE_SELF)</c>, about a hundred calls per
/// iteration. For a whole process the kernel sums the CPU time of every thread under a lock, and a .NET
/// process has dozens of threads: in a kiln cycle these calls were about 15 % of all CPU samples (perf).
/// The calling thread's CPU clock was tried next and is still a system call (the vDSO does not answer it),
/// about 17 % of the samples. <c>CLOCK_MONOTONIC</c> is answered in user space. What changes for the
/// operator: IPOPT's timing statistics and its <c>max_cpu_time</c> limit measure the solve's elapsed time,
/// which on the one thread that runs a solve is its CPU time plus any time the machine took it away; for a
/// limit meant to protect a cycle's deadline, that is the better measure anyway. The import is redirected
/// by rewriting libipopt's own GOT entry, so nothing else in the process is affected. When anything about
/// the library does not look as expected the import is left alone: solves are then only slower.
/// </remarks>
internal static unsafe partial class IpoptClock
{
    private const int MonotonicClock = 1;

    private static readonly Lazy<bool> Installed = new(() => ImportTable.RedirectInSolver(Interop.Library, "getrusage", Replacement) != 0);

    private static nint Replacement => (nint)(delegate* unmanaged[Cdecl]<int, Usage*, int>)&GetResourceUsage;

    /// <summary>Whether IPOPT reads the monotonic clock; redirects its import on the first call.</summary>
    public static bool Install() => Installed.Value;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetResourceUsage(int who, Usage* usage)
    {
        TimeSpec now;
        if (ClockGetTime(MonotonicClock, &now) != 0)
        {
            return -1;
        }

        *usage = default;
        usage->UserSeconds = now.Seconds;
        usage->UserMicroseconds = now.Nanoseconds / 1000;
        return 0;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    [SuppressGCTransition]
    private static partial int ClockGetTime(int clock, TimeSpec* time);

    // The glibc layouts these are read from (time.h, sys/resource.h).
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // struct rusage: two timevals, then fourteen longs.
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct Usage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }
}
