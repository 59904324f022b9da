using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ProcessOptimizer.Api;

/// <summary>
/// A request that the server refuses while its body is read (a body over the size limit: 413; one arriving too
/// slowly: 408; malformed framing: 400) is the client's error, not the service's: it is answered with the
/// server's status, as before, and logged as one information line without a stack trace. So is a query value or
/// JSON field that a route's parameter cannot bind (minimal APIs throw for it, <c>ThrowOnBadRequest</c>): its answer
/// is a validation problem naming the field. Left to the exception
/// middleware it was logged as an unhandled error with its stack, and anyone could fill the log with those.
/// </summary>
public sealed partial class BadRequestHandler(IProblemDetailsService problems, ILogger<BadRequestHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException refused)
        {
            return false;
        }

        var fields = BindingProblem.Of(refused);
        LogRefused(logger, httpContext.Request.Method, httpContext.Request.Path, refused.StatusCode, fields is null ? refused.Message : string.Join("; ", fields.Keys));
        httpContext.Response.StatusCode = refused.StatusCode;
        // The answer's body is the ProblemDetails the middleware wrote for it before, with the fields a parameter's
        // binding refused; a client that accepts none gets the status alone.
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = fields is null
                ? new ProblemDetails { Status = refused.StatusCode, Title = Title(refused.StatusCode), Detail = refused.Message }
                : new HttpValidationProblemDetails(fields) { Status = refused.StatusCode },
        }).ConfigureAwait(false);
        return true;
    }

    // The server's message says what was wrong ("Request body too large. The max request body size is 4194304 bytes.").
    private static string Title(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is too large",
        StatusCodes.Status408RequestTimeout => "The request body arrived too slowly",
        _ => "The request was refused",
    };

    [LoggerMessage(EventId = 270, Level = LogLevel.Information, Message = "Refused {Method} {Path} with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, int status, string reason);
}
