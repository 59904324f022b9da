using OpenTelemetry.Metrics;
using ProcessOptimizer.Api;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Dashboard;
using ProcessOptimizer.Results;

namespace ProcessOptimizer.Hosting;

/// <summary>The API layer: what the routes need beyond the layers below, their error answers, documents and metrics.</summary>
public static class ApiRegistration
{
    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddSingleton<AdminOnly>();
        services.AddDashboard();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = SeedErrorFields.Add);
        services.AddExceptionHandler<BadRequestHandler>();
        // A parameter that cannot bind throws, so that BadRequestHandler can name it: otherwise the framework sets
        // 400 with no body and the client learns nothing of which field was wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddOpenApi(o => o.AddSchemaTransformer<SeedErrorSchema>());
        services.ConfigureHttpJsonOptions(o => ResultJson.Configure(o.SerializerOptions));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServiceMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }
}
