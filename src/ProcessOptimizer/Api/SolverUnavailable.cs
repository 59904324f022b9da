using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Api;

/// <summary>The answer of every endpoint that needs the solver on a machine where its library is missing.</summary>
internal static class SolverUnavailable
{
    /// <remarks>No Retry-After: no retry helps until the library is installed.</remarks>
    public static ProblemHttpResult Problem(SolverUnavailableException ex) => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "The solver is not available",
        detail: ex.Message,
        extensions: new Dictionary<string, object?> { ["status_text"] = "error", ["error"] = "solver not available" });
}
