using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ProcessOptimizer.Api;

/// <summary>Describes the fields <see cref="SeedErrorFields"/> adds to every ProblemDetails in the OpenAPI document.</summary>
public sealed class SeedErrorSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["error"] = Text("What went wrong, in one line (the original service's error)");
            schema.Properties["timestamp"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "When this answer was made" };
            schema.Properties["status_text"] = Text("Always 'error': the original service's status, since status here is the HTTP status");
            schema.Properties["error_details"] = Text("On a 500 only: the exception's type and message");
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
