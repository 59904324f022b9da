using System.Runtime.InteropServices;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// Keeps glibc from handing MUMPS's per-factorisation workspaces back to the kernel. By default every block
/// above 128 KB is its own mmap, so each IPOPT iteration paid for fresh, zeroed pages: with these settings
/// HS071 went from 5.6 to 4.1 ms and HS100 from 10.8 to 5.8 ms (BENCHMARKS.md). The cost is that up to a
/// few hundred MB freed by the solver stay in the process for reuse.
/// </summary>
internal static partial class NativeAllocatorTuning
{
    // mallopt parameters from glibc's malloc.h.
    private const int TrimThreshold = -1;
    private const int TopPad = -2;
    private const int MmapThreshold = -3;

    private static int _applied;

    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1 || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            MallOpt(MmapThreshold, 256 * 1024 * 1024);
            MallOpt(TrimThreshold, 512 * 1024 * 1024);
            MallOpt(TopPad, 64 * 1024 * 1024);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl, say): the defaults stay, and solves are only slower.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
