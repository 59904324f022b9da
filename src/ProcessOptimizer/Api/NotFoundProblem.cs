using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ProcessOptimizer.Api;

/// <summary>
/// A 404 whose body names what is missing, with the original service's <c>error</c> and <c>status_text</c> fields.
/// </summary>
/// <remarks>
/// A <see cref="NotFound{TValue}"/> writes its ProblemDetails as it is, past <see cref="SeedErrorFields"/>: an
/// unknown strategy version was the one error whose body had no <c>error</c> for the original's clients to print.
/// </remarks>
public static class NotFoundProblem
{
    public static NotFound<ProblemDetails> Of(string title) => TypedResults.NotFound(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = title,
        Extensions = { ["error"] = title, ["status_text"] = "error" },
    });
}
