using System.Runtime.InteropServices;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Solver.Tests.Ipopt;

public class MumpsSaveSizeTests
{
    private readonly IpoptSolver _solver = new();

    [Fact]
    public void Install_OnThisMachine_RedirectsLibdmumpsImport()
    {
        // Issue 19: the machines the service runs on have Debian's MUMPS 5.5; a silent miss would only show as time.
        Assert.True(_solver.SkipsMumpsSaveSize);
        Assert.NotEqual(0, MumpsSaveSize.Original);
        // Writing the replacement again hands back what the entry holds: the replacement itself.
        Assert.Equal(MumpsSaveSize.Replacement, ImportTable.Redirect(MumpsSaveSize.Library, MumpsSaveSize.Symbol, MumpsSaveSize.Replacement));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Solve_WithMumpsOwnEstimateBack_GivesTheSameAnswerToTheBit(bool exactHessian)
    {
        Assert.True(_solver.SkipsMumpsSaveSize);
        var settings = new SolverSettings { Tolerance = 1e-10 };
        var skipped = _solver.Solve(new Hs071Program(exactHessian), settings, CancellationToken.None);

        // Other tests may solve meanwhile: they get one routine or the other, which is what this test says is safe.
        // MUMPS's routine itself goes back, not Original (the lazy binder's stub): another solve resolving the stub
        // while it is in place would write MUMPS's routine over the replacement after the finally below.
        var mumpsOwn = NativeLibrary.GetExport(NativeLibrary.Load("libdmumps_seq-5.5.so"), MumpsSaveSize.Symbol);
        var replacement = ImportTable.Redirect(MumpsSaveSize.Library, MumpsSaveSize.Symbol, mumpsOwn);
        Solution computed;
        try
        {
            computed = _solver.Solve(new Hs071Program(exactHessian), settings, CancellationToken.None);
        }
        finally
        {
            ImportTable.Redirect(MumpsSaveSize.Library, MumpsSaveSize.Symbol, replacement);
        }

        Assert.Equal(MumpsSaveSize.Replacement, replacement);
        Assert.NotSame(computed.X, skipped.X);
        Assert.Equal(SolveStatus.Succeeded, skipped.Status);
        Assert.Equal(computed.SolverStatus, skipped.SolverStatus);
        Assert.Equal(computed.Iterations, skipped.Iterations);
        Assert.Equal(computed.Objective, skipped.Objective);
        Assert.Equal(computed.X, skipped.X);
        Assert.Equal(computed.Constraints, skipped.Constraints);
        Assert.Equal(computed.Multipliers!.Constraints, skipped.Multipliers!.Constraints);
        Assert.Equal(computed.Multipliers.Lower, skipped.Multipliers.Lower);
        Assert.Equal(computed.Multipliers.Upper, skipped.Multipliers.Upper);
    }

    [Theory]
    [InlineData("libno-such-library.so", "getrusage")]
    [InlineData(Interop.Library, "no_such_function")]
    public void Redirect_LibraryOrImportNotThere_WritesNothing(string library, string symbol)
    {
        Assert.True(_solver.UsesMonotonicClock);

        Assert.Equal(0, ImportTable.Redirect(library, symbol, MumpsSaveSize.Replacement));
    }
}
