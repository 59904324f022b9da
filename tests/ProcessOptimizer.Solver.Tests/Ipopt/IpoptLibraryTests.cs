using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Solver.Tests.Ipopt;

/// <summary>The check that tells a machine without IPOPT from one with it, before any solve.</summary>
public class IpoptLibraryTests
{
    [Fact]
    public void Problem_InstalledLibrary_IsNullAndNamesTheImportsLibrary()
    {
        var library = new IpoptLibrary();

        Assert.Null(library.Problem);
        Assert.Equal("libipopt.so.1", library.Name);
    }

    [Fact]
    public void Problem_MissingLibrary_NamesItAndThePackage()
    {
        var library = new IpoptLibrary("libipopt-absent.so.1");

        Assert.Equal("the solver library libipopt-absent.so.1 cannot be loaded: IPOPT is not installed (Debian and Ubuntu: package coinor-libipopt1v5)", library.Problem);
    }

    [Fact]
    public void Problem_LibraryThatIsNotIpopt_SaysSo()
    {
        var library = new IpoptLibrary("libc.so.6");

        Assert.Equal("the solver library libc.so.6 loads but has no IpoptSolve: it is not IPOPT's C interface", library.Problem);
    }

    [Fact]
    public void ValidateOption_MissingLibrary_ThrowsUnavailableInsteadOfDllNotFound()
    {
        var solver = new IpoptSolver(new IpoptLibrary("libipopt-absent.so.1"));

        var ex = Assert.Throws<SolverUnavailableException>(() => solver.ValidateOption("max_iter", 10));
        Assert.Contains("libipopt-absent.so.1", ex.Message, StringComparison.Ordinal);
    }
}
