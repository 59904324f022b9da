using Microsoft.AspNetCore.Mvc;

namespace ProcessOptimizer.Api;

/// <summary>
/// Adds the original service's error fields to every ProblemDetails answer, so that its clients, which print
/// <c>error</c>, still print something useful: <c>error</c> (one line saying what went wrong), <c>timestamp</c>,
/// <c>status_text</c> (<c>error</c>, the original's <c>status</c>, since ours is the HTTP status) and, on a 500,
/// <c>error_details</c> (the exception's type and message). A validation problem's <c>detail</c> names every field
/// too, and a request no endpoint answers its method and path.
/// </summary>
public static class SeedErrorFields
{
    public static void Add(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        var time = context.HttpContext.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        if (string.IsNullOrEmpty(problem.Detail) && problem.Status is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
        {
            // Every endpoint's own 404 names what is missing; the status-code pages answer a path no route takes, or a
            // method its route does not, with the status alone.
            var request = context.HttpContext.Request;
            var path = Core.Strategies.Echo.Short(request.Path.Value ?? "/");
            problem.Detail = problem.Status == StatusCodes.Status404NotFound ? $"No endpoint answers {request.Method} {path}" : $"{path} does not answer {request.Method}";
        }

        problem.Extensions.TryAdd("error", ErrorText(problem));
        if (problem is HttpValidationProblemDetails { Errors.Count: > 0 } && string.IsNullOrEmpty(problem.Detail))
        {
            // The title of a validation problem is the framework's "One or more validation errors occurred.": the
            // detail names each field and what is wrong with it, for a client that shows only title and detail.
            problem.Detail = ErrorText(problem);
        }

        problem.Extensions["timestamp"] = time.GetUtcNow();
        problem.Extensions.TryAdd("status_text", "error");
        if (problem.Status == StatusCodes.Status500InternalServerError && context.Exception is { } exception)
        {
            problem.Extensions.TryAdd("error_details", $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private static string ErrorText(ProblemDetails problem)
    {
        if (problem is HttpValidationProblemDetails { Errors.Count: > 0 } validation)
        {
            return string.Join("; ", validation.Errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));
        }

        return string.IsNullOrEmpty(problem.Detail) ? problem.Title ?? "error" : $"{problem.Title}: {problem.Detail}";
    }
}
