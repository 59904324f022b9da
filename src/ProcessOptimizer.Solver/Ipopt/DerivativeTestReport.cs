using System.Globalization;
using System.Text.RegularExpressions;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>Reads IPOPT's derivative-test output: lines such as <c>grad_f[ 1] = 1.0e+00 ~ 1.0e+00 [ 2.3e-09]</c>.</summary>
internal static partial class DerivativeTestReport
{
    /// <summary>The largest bracketed relative error in the file, which is deleted afterwards.</summary>
    /// <exception cref="SolverException">The file holds no derivative test: IPOPT did not run it.</exception>
    public static double LargestRelativeError(string path)
    {
        try
        {
            var errors = File.ReadLines(path)
                .Select(line => Entry().Match(line))
                .Where(m => m.Success)
                .Select(m => double.Parse(m.Groups["error"].Value, CultureInfo.InvariantCulture))
                .ToList();
            return errors.Count > 0 ? errors.Max() : throw new SolverException($"IPOPT wrote no derivative test to {path}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex(@"(grad_f|jac_g)\s*\[[^\]]*\]\s*=\s*\S+\s+~\s+\S+\s+\[\s*(?<error>[-+0-9.eE]+)\s*\]")]
    private static partial Regex Entry();
}
