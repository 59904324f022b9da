using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace ProcessOptimizer.Api;

/// <summary>
/// Declares, for every endpoint at once, the failure answers that follow from what it takes, so that the OpenAPI
/// document says what the API answers: 404 when its route names a strategy, version, run or backtest (which may
/// name nothing), 400 when it takes a query value that may not parse or a body, and 413 and 408 when it reads a body
/// (one too large, or one that stops arriving: the server's minimum data rate).
/// <see cref="AdminRoutes.RequireAdmin"/> declares an admin endpoint's 401 and 403, <see cref="DatabaseUnavailableHandler.Routes"/>
/// the 503 of routes that read the database, and an endpoint the answers of its own (a 422 refusal, a busy
/// solver's 503, a 409). Every declared error is a ProblemDetails as <c>application/problem+json</c>, as the
/// problem service writes every error answer.
/// </summary>
public static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    /// <summary>Declares the answers above on every endpoint mapped through <paramref name="builder"/>.</summary>
    /// <remarks>Runs after every other convention, so it sees what the endpoint and its result types declared.</remarks>
    public static TBuilder DeclareProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Finally(Declare);
        return builder;
    }

    private static void Declare(EndpointBuilder endpoint)
    {
        if (endpoint is not RouteEndpointBuilder route)
        {
            return;
        }

        MakeErrorsProblems(endpoint.Metadata);
        var parameters = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault()?.GetParameters() ?? [];
        var routeNames = route.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var readsBody = endpoint.Metadata.OfType<IAcceptsMetadata>().Any() || parameters.Any(p => p.ParameterType == typeof(HttpRequest));
        if (readsBody || parameters.Any(p => !routeNames.Contains(p.Name ?? "") && CanFailToBind(p.ParameterType)))
        {
            Add(endpoint.Metadata, StatusCodes.Status400BadRequest);
        }

        if (routeNames.Count > 0)
        {
            Add(endpoint.Metadata, StatusCodes.Status404NotFound);
        }

        if (readsBody)
        {
            Add(endpoint.Metadata, StatusCodes.Status413PayloadTooLarge);
            Add(endpoint.Metadata, StatusCodes.Status408RequestTimeout);
        }
    }

    // An error declared without a body (NotFound) or as plain JSON is answered as a problem all the same: the
    // status-code pages and the problem service write every error body.
    private static void MakeErrorsProblems(IList<object> metadata)
    {
        for (var i = 0; i < metadata.Count; i++)
        {
            if (metadata[i] is IProducesResponseTypeMetadata { StatusCode: >= 400 } declared
                && (declared.Type is null || declared.Type == typeof(void) || typeof(ProblemDetails).IsAssignableFrom(declared.Type))
                && !declared.ContentTypes.Contains(ContentType))
            {
                metadata[i] = Problem(declared.StatusCode);
            }
        }
    }

    private static void Add(IList<object> metadata, int status)
    {
        if (!metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == status))
        {
            metadata.Add(Problem(status));
        }
    }

    private static ProducesResponseTypeMetadata Problem(int status) =>
        new(status, status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails), [ContentType]);

    // A query value a parameter cannot parse is refused before the handler runs (BadRequestHandler names it); a
    // string always binds, and services are never numbers or times.
    private static bool CanFailToBind(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        return plain != typeof(string) && plain.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IParsable<>));
    }
}
