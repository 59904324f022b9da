using ProcessOptimizer.Backtests;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Demo;
using ProcessOptimizer.Scheduling;
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
        services.AddSolving(optimization);
        services.AddStorage(storage, database, retention);
        services.AddSingleton(new ServiceInstance(scheduling.EffectiveInstanceId));
        services.AddSingleton(scheduling);
        services.AddStrategies(strategies, storage);
        services.AddCycles(app, workers, optimization, backtests);
        services.AddApi();
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

}
