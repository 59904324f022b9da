using System.Runtime.InteropServices;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// Raw bindings to IPOPT's C interface (<c>IpStdCInterface.h</c>) as shipped by Debian 12's
/// <c>coinor-libipopt1v5</c> (IPOPT 3.11). <c>Index</c>, <c>Int</c> and <c>Bool</c> are C ints;
/// <c>Number</c> is double. Nothing here is thread-safe: see <see cref="IpoptSolver"/>. A problem is a bare
/// pointer here; <see cref="IpoptProblem"/> owns it.
/// </summary>
internal static unsafe partial class Interop
{
    /// <summary>The soname, so that the runtime package is enough and the -dev symlink is not needed.</summary>
    public const string Library = "libipopt.so.1";

    [LibraryImport(Library)]
    public static partial nint CreateIpoptProblem(
        int n,
        double* xL,
        double* xU,
        int m,
        double* gL,
        double* gU,
        int jacobianNonZeros,
        int hessianNonZeros,
        int indexStyle,
        delegate* unmanaged[Cdecl]<int, double*, int, double*, nint, int> evalF,
        delegate* unmanaged[Cdecl]<int, double*, int, int, double*, nint, int> evalG,
        delegate* unmanaged[Cdecl]<int, double*, int, double*, nint, int> evalGradF,
        delegate* unmanaged[Cdecl]<int, double*, int, int, int, int*, int*, double*, nint, int> evalJacG,
        delegate* unmanaged[Cdecl]<int, double*, int, double, int, double*, int, int, int*, int*, double*, nint, int> evalH);

    [LibraryImport(Library)]
    public static partial void FreeIpoptProblem(nint problem);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddIpoptStrOption(nint problem, string keyword, string value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddIpoptNumOption(nint problem, string keyword, double value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddIpoptIntOption(nint problem, string keyword, int value);

    [LibraryImport(Library)]
    public static partial int SetIntermediateCallback(
        nint problem,
        delegate* unmanaged[Cdecl]<int, int, double, double, double, double, double, double, double, double, int, nint, int> callback);

    [LibraryImport(Library)]
    public static partial int IpoptSolve(
        nint problem,
        double* x,
        double* g,
        double* objective,
        double* constraintMultipliers,
        double* lowerBoundMultipliers,
        double* upperBoundMultipliers,
        nint userData);
}
