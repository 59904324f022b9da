namespace ProcessOptimizer.Api;

/// <summary>Admin endpoints: guarded by <see cref="AdminOnly"/>, with its refusals declared in the OpenAPI document.</summary>
public static class AdminRoutes
{
    /// <summary>Answers only a request with the <c>X-Api-Key</c> (401 without), or from loopback when no key is configured (403).</summary>
    public static RouteHandlerBuilder RequireAdmin(this RouteHandlerBuilder route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return route.AddEndpointFilter<AdminOnly>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }
}
