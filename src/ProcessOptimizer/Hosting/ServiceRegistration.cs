using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using ProcessOptimizer.Api;
using ProcessOptimizer.Backtests;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Dashboard;
using ProcessOptimizer.Demo;
using ProcessOptimizer.Results;
using ProcessOptimizer.Scheduling;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Storage.Outbox;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Hosting;

/// <summary>Registers the service's parts from configuration, validated at start with every problem listed.</summary>
public static class ServiceRegistration
{
    /// <summary>Largest accepted request body: a strategy plus a day of history fits with room to spare.</summary>
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    /// <exception cref="InvalidOperationException">The configuration is invalid; the message lists every problem.</exception>
    public static IHostApplicationBuilder AddProcessOptimizer(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var app = new AppSettings
        {
            Mode = configuration["App:Mode"] ?? "hybrid",
            ApiKey = configuration["Api:Key"],
            InlineStrategies = configuration["Api:InlineStrategies"],
            ApiMaxSolveSeconds = configuration.GetValue("Api:MaxSolveSeconds", 10),
            ApiMaxQueuedRequests = configuration.GetValue("Api:MaxQueuedRequests", 4),
            Replay = configuration.GetValue<bool?>("Demo:Replay"),
            JsonLogs = configuration.GetValue<bool>("Logging:Json"),
        };
        var optimization = configuration.GetSection(OptimizationSettings.Section).Get<OptimizationSettings>() ?? new OptimizationSettings();
        var database = configuration.GetSection(DatabaseSettings.Section).Get<DatabaseSettings>() ?? new DatabaseSettings();
        var storage = configuration.GetSection(StorageSettings.Section).Get<StorageSettings>() ?? new StorageSettings();
        var workers = configuration.GetSection(SolverSettingsSection.Section).Get<SolverSettingsSection>() ?? new SolverSettingsSection();
        var backtests = configuration.GetSection(BacktestSettings.Section).Get<BacktestSettings>() ?? new BacktestSettings();
        var retention = configuration.GetSection(RunRetentionSettings.Section).Get<RunRetentionSettings>() ?? new RunRetentionSettings();
        var scheduling = configuration.GetSection(SchedulingSettings.Section).Get<SchedulingSettings>() ?? new SchedulingSettings();
        var (strategies, strategyProblems) = StrategyList.Read(configuration, storage, optimization);
        var postgres = database.Kind == "postgres";
        var kiln = ExampleHistory.FindKilnFolder();
        var embedded = storage.Kind == "local" && storage.LocalRoot.Length == 0;
        var problems = app.Problems().Concat(optimization.Problems()).Concat(database.Problems()).Concat(storage.Problems()).Concat(workers.Problems()).Concat(retention.Problems()).Concat(strategyProblems).Concat(scheduling.Problems(postgres)).Concat(backtests.Problems()).ToList();
        if (embedded && kiln is null)
        {
            problems.Add("Storage:LocalRoot is empty and the bundled example (examples/kiln) is not found: set Storage:LocalRoot or Storage:Kind=s3");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)));
        }

        if (embedded)
        {
            storage.LocalRoot = Path.Combine(kiln!, "store");
        }

        if (postgres)
        {
            // A connection of the service's pool, or of the cluster scheduler's (one per strategy it runs at once, its
            // check-in and its misfire handler), may each hold a pool thread while the driver cancels its statement.
            ThreadPoolHeadroom.Reserve(database.MaxPoolSize + (app.RunsLoop && scheduling.IsClustered(true) ? strategies.Count(s => s.Enabled) + 2 : 0));
        }

        var services = builder.Services;
        services.AddSingleton(app);
        services.AddSingleton(optimization);
        services.AddSingleton(storage);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new IpoptLibrary());
        services.AddSingleton<INonlinearSolver>(sp => new IpoptSolver(sp.GetRequiredService<IpoptLibrary>()));
        services.AddSingleton(_ => storage.CreateStore());
        services.AddSingleton<IObjectStore>(sp => sp.GetRequiredService<ResilientObjectStore>());
        services.AddSingleton(_ => database.Create());
        services.AddSingleton(sp => new DependencyGuards(sp.GetRequiredService<ResilientObjectStore>().Guard, sp.GetRequiredService<ProcessDatabase>().Guard));
        services.AddSingleton<IRunStore, SqlRunStore>();
        services.AddSingleton<IBacktestStore, SqlBacktestStore>();
        services.AddSingleton(sp => new RunOutbox(database.OutboxFolder, sp.GetRequiredService<TimeProvider>(), logger: sp.GetRequiredService<ILogger<RunOutbox>>()));
        services.AddSingleton<RunRecorder>();
        services.AddSingleton(retention);
        services.AddSingleton<RunPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<RunPruner>());
        services.AddSingleton<DependencyMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<DependencyMonitor>());
        services.AddSingleton(new ServiceInstance(scheduling.EffectiveInstanceId));
        services.AddSingleton(scheduling);
        services.AddSingleton(sp => new StrategyCatalog(strategies, [.. strategies.Where(s => s.Enabled).Select(s => Runtime(sp, s, storage))]));
        // The default strategy's parts, for what serves one strategy only (today's routes, the command line's tools).
        services.AddSingleton(sp => sp.GetRequiredService<StrategyCatalog>().Default.Repository);
        services.AddSingleton(sp => sp.GetRequiredService<StrategyCatalog>().Default.Data);
        services.AddSingleton<SolverHealth>();
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<CycleExecutor>();
        // As many solves at once as there are workers; in-process, one (IPOPT is not thread-safe).
        services.AddSingleton(new SolveQueue(app.ApiMaxQueuedRequests, Math.Max(1, workers.Workers)));
        services.AddSingleton(workers);
        if (workers.Workers > 0)
        {
            services.AddSingleton<WorkerPool>();
            services.AddHostedService(sp => sp.GetRequiredService<WorkerPool>());
        }

        services.AddSingleton(sp => new CycleSolver(sp.GetRequiredService<INonlinearSolver>(), optimization, sp.GetRequiredService<TimeProvider>(), sp.GetService<WorkerPool>(), sp.GetRequiredService<IpoptLibrary>()));
        services.AddSingleton<BacktestEngine>();
        services.AddSingleton(backtests);
        services.AddSingleton<BacktestRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<BacktestRunner>());
        services.AddSingleton<AdminOnly>();
        services.AddDashboard();
        if (app.RunsLoop)
        {
            services.AddCycleSchedule(scheduling, postgres ? database.BoundedPostgresConnection : null, strategies.Count(s => s.Enabled));
        }

        // The replay feeder is for the embedded demo only, unless asked for explicitly.
        if (app.Replay ?? (embedded && database.ConnectionString == new DatabaseSettings().ConnectionString))
        {
            services.AddSingleton(_ => ExampleHistory.Read(kiln ?? throw new InvalidOperationException("Demo:Replay needs the bundled example (examples/kiln)")));
            services.AddSingleton<ReplayFeeder>();
            services.AddHostedService(sp => sp.GetRequiredService<ReplayFeeder>());
        }

        services.AddProblemDetails(o => o.CustomizeProblemDetails = SeedErrorFields.Add);
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddOpenApi(o => o.AddSchemaTransformer<SeedErrorSchema>());
        services.ConfigureHttpJsonOptions(o => ResultJson.Configure(o.SerializerOptions));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServiceMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        // Requests and the cycle in flight are cancelled at shutdown and end within this; with the runtime's own exit,
        // the process ends within 2 s of SIGTERM whatever a dependency does.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1.5));
        builder.Logging.ClearProviders();
        if (app.JsonLogs)
        {
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        return builder;
    }

    // The default strategy keeps the configured file; another one a file of its own beside it, named after it.
    private static string LastGoodPath(string configured, StrategySettings strategy) =>
        strategy.Name == StrategyRepository.StrategyName ? configured : Path.ChangeExtension(configured, null) + "." + strategy.Name + Path.GetExtension(configured);

    // Each strategy has its own pointer, cache entries and data table; the store, database and solver are shared.
    private static StrategyRuntime Runtime(IServiceProvider services, StrategySettings strategy, StorageSettings storage)
    {
        var cache = new ArtifactCache(services.GetRequiredService<ILogger<ArtifactCache>>());
        var repository = new StrategyRepository(
            services.GetRequiredService<IObjectStore>(),
            storage.ForPointer(strategy.DeployedVersionKey),
            services.GetRequiredService<INonlinearSolver>(),
            cache,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<StrategyRepository>>(),
            new LastGoodVersionFile(LastGoodPath(storage.LastGoodVersionFile, strategy), services.GetRequiredService<ILogger<LastGoodVersionFile>>()),
            strategy.Name);
        return new StrategyRuntime(strategy, repository, cache, new SqlProcessDataSource(services.GetRequiredService<ProcessDatabase>(), strategy.DataTable));
    }
}
