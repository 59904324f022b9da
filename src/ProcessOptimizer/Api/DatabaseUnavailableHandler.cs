using Microsoft.AspNetCore.Diagnostics;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Api;

/// <summary>A read of the database (<c>/runs</c>) that fails answers 503 naming the database and the cause, not a bare 500.</summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems) : IExceptionHandler
{
    /// <summary>A group for routes that read the database, with the 503 this handler answers declared on each.</summary>
    public static RouteGroupBuilder Routes(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return routes.MapGroup("").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not DatabaseException database)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = "The database is not available", Detail = database.Message },
        }).ConfigureAwait(false);
    }
}
