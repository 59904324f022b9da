using ProcessOptimizer.Api;
using ProcessOptimizer.Dashboard;
using ProcessOptimizer.Storage.Database;
using Scalar.AspNetCore;

namespace ProcessOptimizer.Hosting;

/// <summary>Builds and starts the service: the REST API and, by mode, the continuous loop.</summary>
public static class ServiceHost
{
    public const string DefaultUrls = "http://0.0.0.0:8005";

    /// <summary>Builds the web application from configuration and <paramref name="args"/>.</summary>
    /// <param name="configure">Changes made after the service's own registrations (a test's clock or log), so they win.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (string.IsNullOrEmpty(builder.Configuration["Urls"]) && string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ServiceRegistration.MaxRequestBodyBytes);
        builder.AddProcessOptimizer();
        configure?.Invoke(builder);
        var app = builder.Build();
        // Kestrel's own refusals (a body over the limit, a malformed request) keep their 4xx status instead of a 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError });
        app.UseStatusCodePages();
        app.UseDashboardSite();
        app.MapHealthApi();
        app.MapRunsApi();
        app.MapStrategyApi();
        app.MapCacheApi();
        app.MapDashboardApi();
        app.MapBacktestApi();
        if (app.Services.GetRequiredService<Configuration.AppSettings>().ServesApi)
        {
            app.MapOptimizeApi();
        }

        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOpenApi();
        app.MapScalarApiReference("/docs");
        return app;
    }

    /// <summary>
    /// Creates or migrates the schema and, for the embedded demo, loads the example data, then loads every
    /// strategy's deployed version, before anything runs: the first answers and the first status already know the
    /// version, instead of racing the background monitor's first round. A database or store that is not there yet
    /// does not stop the start: health says unhealthy with the reason, and the dependency monitor retries in the background.
    /// </summary>
    public static async Task InitializeAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var monitor = app.Services.GetRequiredService<DependencyMonitor>();
        try
        {
            await monitor.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseException ex)
        {
            app.Logger.LogWarning(ex, "Starting without the database; it is tried again in the background");
        }

        await monitor.LoadStrategiesAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine(ex.Message);
            return 2;
        }

        await using (app)
        {
            await InitializeAsync(app, CancellationToken.None).ConfigureAwait(false);
            await app.RunAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
