using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Strategies;

// How a version is read: its text fetched and checked, then built (StrategyBuilder: its models loaded, through the cache or apart, and compiled).
public sealed partial class StrategyRepository
{
    /// <summary>
    /// Loads and checks a version with models of its own, for a backtest: no switch of the live version frees them
    /// under it. Its holder retires it when done, which frees them.
    /// </summary>
    public Task<DeployedStrategy> LoadApartAsync(string version, CancellationToken cancellationToken) => LoadAsync(version, true, cancellationToken);

    private async Task<DeployedStrategy> LoadAsync(string version, bool apart, CancellationToken cancellationToken)
    {
        var key = StoreLayout.ConfigKey(PointerKey, version);
        var info = await store.StatAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new StrategyVersionException(version, [new StrategyProblem($"'{key}' does not exist in {store.Description}", null)]);
        var text = await cache.GetOrLoadAsync("strategy-text", key, info.ETag, async ct =>
        {
            var content = await store.GetTextAsync(key, ct).ConfigureAwait(false);
            return (content, (long)content.Length * sizeof(char));
        }, cancellationToken).ConfigureAwait(false);
        var (strategy, problems) = StrategyLoader.Read(text, SolverOptionCheck.Of(solver), settings.Limits);
        return strategy is null
            ? throw new StrategyVersionException(version, problems)
            : await BuildAsync(version, strategy, problems, new StoredArtifact(key, info.ETag, System.Text.Encoding.UTF8.GetBytes(text)), apart, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads the models of a validated strategy (an inline API strategy, say) from this store and compiles it.</summary>
    /// <exception cref="StrategyVersionException">A model cannot be loaded; every failing skill is listed.</exception>
    public Task<DeployedStrategy> BuildAsync(string version, Strategy strategy, IReadOnlyList<StrategyProblem> problems, CancellationToken cancellationToken) =>
        BuildAsync(version, strategy, problems, null, false, cancellationToken);

    private Task<DeployedStrategy> BuildAsync(string version, Strategy strategy, IReadOnlyList<StrategyProblem> problems, StoredArtifact? source, bool apart, CancellationToken cancellationToken) =>
        _builder.BuildAsync(name, PointerKey, version, strategy, problems, source, apart, cancellationToken);
}
