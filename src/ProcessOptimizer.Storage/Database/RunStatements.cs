using System.Text.Json;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// The statements that store runs on one connection, each group of runs in one transaction (see <see cref="RunWriter"/>).
/// Each dialect writes them its own cheapest way (<see cref="SqlDialect.CreateRunStatements"/>), under one contract.
/// </summary>
/// <remarks>
/// <see cref="SaveAsync"/> looks a run up by its keys first and inserts it only when neither is stored. Another
/// process may store the same key between the look-up and the insert (two replicas firing one cycle): the unique keys
/// then turn the insert into nothing, and a second look-up names the winner. A failure leaves the transaction open for
/// <see cref="DisposeAsync"/>, which rolls it back: nothing of the group is stored.
/// </remarks>
internal abstract class RunStatements : IAsyncDisposable
{
    /// <summary>The run stored already under either of a run's keys: the same cycle, or the same data consumed.</summary>
    protected const string FindSql = "SELECT id FROM optimization_runs WHERE run_key = @key OR data_key = @datakey ORDER BY id LIMIT 1";

    /// <summary>The run columns every insert binds, in this order.</summary>
    protected const string RunColumns = "strategy_name, strategy_version, model_versions, data_timestamp, started_at, finished_at, duration_ms, outcome, solver_status, iterations, cost, message, run_key, node, data_key, message_items";

    protected const string RecommendationColumns = "run_id, variable, current_value, recommended_value, delta, units";

    /// <summary>Begins the group's transaction; the connection has none open.</summary>
    public abstract ValueTask BeginAsync(CancellationToken cancellationToken);

    /// <returns>The stored run's id; for a run whose key is stored already (before or earlier in this group), that run's id, marked a duplicate.</returns>
    public abstract ValueTask<RunSave> SaveAsync(RunRecord run, CancellationToken cancellationToken);

    /// <summary>Commits the group: only then is any of its runs acknowledged.</summary>
    public abstract ValueTask CommitAsync(CancellationToken cancellationToken);

    /// <summary>Rolls back a transaction still open (a group that failed) and frees the statements; the connection stays the caller's.</summary>
    public abstract ValueTask DisposeAsync();

    protected static string ModelVersions(RunRecord run) => JsonSerializer.Serialize(run.ModelVersions);

    protected static string? MessageItems(RunRecord run) => run.MessageItems is { } items ? JsonSerializer.Serialize(items) : null;

    // A cost that is not a finite number is stored as no cost.
    protected static double? Cost(RunRecord run) => run.Cost is { } c && double.IsFinite(c) ? c : null;
}
