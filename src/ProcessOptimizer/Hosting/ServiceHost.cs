using ProcessOptimizer.Api;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Dashboard;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Database;
using Scalar.AspNetCore;

namespace ProcessOptimizer.Hosting;

/// <summary>Builds and starts the service: the REST API and, by mode, the continuous loop.</summary>
public static partial class ServiceHost
{
    public const string DefaultUrls = "http://0.0.0.0:8005";

    /// <summary>
    /// How long the start waits for the database's set-up and the strategies' load before it listens without them:
    /// a dependency that answers does so well within it; one that hangs would hold the start for its timeouts.
    /// </summary>
    public static readonly TimeSpan StartWait = TimeSpan.FromSeconds(1);

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
        // The registered handlers answer the server's own refusals (BadRequestHandler) and a database that is not
        // there (DatabaseUnavailableHandler); anything else is a 500 ProblemDetails, logged with its stack.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDashboardSite();
        // One group without a prefix, so that every endpoint's failure answers are declared by one convention.
        var api = app.MapGroup("").DeclareProblems();
        api.MapHealthApi();
        api.MapRunsApi();
        api.MapStrategyApi();
        api.MapCacheApi();
        api.MapDashboardApi();
        api.MapBacktestApi();
        if (app.Services.GetRequiredService<Configuration.AppSettings>().ServesApi)
        {
            api.MapOptimizeApi();
        }

        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOpenApi();
        app.MapScalarApiReference("/docs");
        return app;
    }

    /// <summary>
    /// Creates or migrates the schema and, for the embedded demo, loads the example data, and loads every strategy's
    /// deployed version, so that with its dependencies answering the first answers and the first status already know
    /// the version, instead of racing the background monitor's first round. It waits at most
    /// <see cref="StartWait"/> for them: a database or store that is down or hangs does not hold up the start. Health
    /// then says unhealthy with the reason, the set-up goes on in the background (and is retried by the dependency
    /// monitor), and the cycles begin once the schema is there.
    /// </summary>
    public static async Task InitializeAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IpoptLibrary>().Problem is { } missing)
        {
            // The service still starts: health, runs and the API say why nothing is solved.
            LogSolverUnavailable(app.Logger, missing);
        }
        else if (app.Services.GetRequiredService<INonlinearSolver>() is IpoptSolver { UsesMonotonicClock: var clock, SkipsMumpsSaveSize: var saveSize } && !(clock && saveSize))
        {
            // Said once: the native libraries are not the ones these shortcuts were written against; solves are correct, only slower.
            LogNativeShortcutsLeftAlone(app.Logger, clock, saveSize);
        }

        var monitor = app.Services.GetRequiredService<DependencyMonitor>();
        var schema = monitor.InitializeAsync(cancellationToken);
        var strategies = Task.Run(() => monitor.LoadStrategiesAsync(cancellationToken), CancellationToken.None);
        await Task.WhenAny(Task.WhenAll(schema, strategies), Task.Delay(StartWait, TimeProvider.System, cancellationToken)).ConfigureAwait(false);
        if (!schema.IsCompleted)
        {
            LogNotAnswering(app.Logger, "database", StartWait.TotalSeconds);
        }
        else if (schema.Exception?.InnerException is DatabaseException ex)
        {
            LogStartingWithout(app.Logger, ex.Message);
        }
        else
        {
            await schema.ConfigureAwait(false);
        }

        if (!strategies.IsCompleted)
        {
            LogNotAnswering(app.Logger, "object store", StartWait.TotalSeconds);
        }
        else
        {
            // A failure the load does not expect (not the store's, nor a version's) still stops the start.
            await strategies.ConfigureAwait(false);
        }
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

    [LoggerMessage(EventId = 236, Level = LogLevel.Critical, Message = "No solve can run: {Reason}")]
    private static partial void LogSolverUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 242, Level = LogLevel.Information, Message = "A native shortcut of the solver was left alone, its library not being the build it was written for (IPOPT on the monotonic clock: {Clock}; MUMPS's save-file sizing skipped: {SaveSize}); solves give the same answers, only slower")]
    private static partial void LogNativeShortcutsLeftAlone(ILogger logger, bool clock, bool saveSize);

    [LoggerMessage(EventId = 233, Level = LogLevel.Warning, Message = "Starting without the database; it is tried again in the background: {Reason}")]
    private static partial void LogStartingWithout(ILogger logger, string reason);

    [LoggerMessage(EventId = 234, Level = LogLevel.Warning, Message = "The {Dependency} has not answered within {Seconds} s of the start; the service starts without waiting for it, and it is tried again in the background")]
    private static partial void LogNotAnswering(ILogger logger, string dependency, double seconds);
}
