using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// Stops MUMPS 5.5 from working out, at every factorisation and every back-solve, how large a file its
/// save/restore feature would write: IPOPT never saves a MUMPS instance, and the estimate was about a fifth of
/// a kiln cycle's CPU samples.
/// </summary>
/// <remarks>
/// <para>
/// MUMPS 5.5 (src/dmumps_driver.F and src/dsol_driver.F) calls <c>DMUMPS_COMPUTE_MEMORY_SAVE(id, FILE_SIZE,
/// STRUC_SIZE)</c> after every job and again at the start of every solve. It walks the instance's 186 fields by
/// name, comparing Fortran strings, in the save/restore code's "memory_save" mode, which only adds up sizes.
/// Its two results go into <c>KEEP8(55:58)</c>, <c>RINFO(7:8)</c> and <c>RINFOG(17:18)</c>, the sizes a
/// save file and a restored instance would take; MUMPS reads them nowhere else (the solve driver does not use
/// its own pair at all), and IPOPT 3.11 reads no <c>RINFO</c>/<c>RINFOG</c> entry. Its only other effects are
/// an error code if its scratch arrays of a few hundred entries cannot be allocated, and re-encoding the
/// low-rank block array into a fresh allocation with the same contents.
/// </para>
/// <para>
/// The replacement reports both sizes as 0. Only libdmumps's own import is redirected (it calls the routine
/// through its PLT), and only in Debian's sequential MUMPS 5.5 (<c>libdmumps_seq-5.5.so</c>), the version the
/// above was read in; any other build is left alone, and solves are then only slower.
/// </para>
/// </remarks>
internal static unsafe class MumpsSaveSize
{
    /// <summary>The part of the file name that identifies the library this was written against.</summary>
    public const string Library = "libdmumps_seq-5.5.";

    /// <summary>gfortran's name for the module procedure <c>DMUMPS_SAVE_RESTORE::DMUMPS_COMPUTE_MEMORY_SAVE</c>.</summary>
    public const string Symbol = "__dmumps_save_restore_MOD_dmumps_compute_memory_save";

    private static readonly Lazy<bool> Skipped = new(() => (Original = ImportTable.RedirectInSolver(Library, Symbol, Replacement)) != 0);

    /// <summary>The replacement's address, for a test to restore it after putting the original back.</summary>
    public static nint Replacement => (nint)(delegate* unmanaged[Cdecl]<nint, long*, long*, void>)&NoEstimate;

    /// <summary>What libdmumps's import held before it was redirected (0 until then).</summary>
    public static nint Original { get; private set; }

    /// <summary>Whether MUMPS skips the estimate; redirects its import on the first call.</summary>
    public static bool Install() => Skipped.Value;

    // SUBROUTINE DMUMPS_COMPUTE_MEMORY_SAVE(id, TOTAL_FILE_SIZE, TOTAL_STRUC_SIZE): every argument by
    // reference, the sizes INTEGER(8), no hidden arguments (none is a character string).
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void NoEstimate(nint instance, long* fileSize, long* structureSize)
    {
        *fileSize = 0;
        *structureSize = 0;
    }
}
