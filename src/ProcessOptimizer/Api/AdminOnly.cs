using System.Net;
using ProcessOptimizer.Configuration;

namespace ProcessOptimizer.Api;

/// <summary>
/// Guards admin endpoints (cache clear, version switch): the <c>X-Api-Key</c> header must match <c>Api:Key</c>;
/// with no key configured, only loopback clients are answered.
/// </summary>
public sealed class AdminOnly(AppSettings settings) : IEndpointFilter
{
    public const string Header = ApiKey.Header;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (settings.ApiKey is { Length: > 0 } key)
        {
            if (!ApiKey.Matches(http.Request, key))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: $"This endpoint needs a valid {Header} header",
                    detail: http.Request.Headers.ContainsKey(Header) ? $"The {Header} header does not match Api:Key" : $"The request has no {Header} header; admin endpoints need the one set as Api:Key");
            }
        }
        else if (http.Connection.RemoteIpAddress is { } address && !IPAddress.IsLoopback(address))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "No Api:Key is configured, so admin endpoints answer loopback clients only",
                detail: $"The request came from {address}; configure Api:Key and send it as {Header}, or ask from the service's own machine");
        }

        return await next(context).ConfigureAwait(false);
    }
}
