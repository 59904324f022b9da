using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Inference;
using ProcessOptimizer.Storage.Caching;

namespace ProcessOptimizer.Strategies;

/// <summary>
/// The one way a validated strategy becomes one that runs: its models loaded from a store, then compiled. The
/// service, its solver workers, backtests and the command line all build through it.
/// </summary>
/// <remarks>
/// Who frees a model: one from the cache is the cache's, shared by the versions built with it, and freed when the
/// last of them is retired and no cycle leases it any more; one loaded apart is its version's, freed when its holder
/// drops the version (<see cref="DeployedStrategy.Drop"/>) and its last lease ends.
/// </remarks>
/// <param name="cache">
/// Where models live while versions share them; none: every model is loaded apart (the command line, which runs
/// once and keeps nothing).
/// </param>
/// <param name="preferExact">
/// False keeps ONNX Runtime with finite differences instead of the exact evaluator, for comparisons; only for models
/// loaded apart, since the cache does not tell the two apart.
/// </param>
public sealed class StrategyBuilder(IObjectStore store, ArtifactCache? cache, bool preferExact = true)
{
    /// <param name="apart">
    /// Models of its own, not the cache's, so that no switch of the live version frees them under it (a backtest,
    /// the command line); its holder drops the version when done.
    /// </param>
    /// <exception cref="StrategyVersionException">A model cannot be loaded, or the strategy cannot be compiled; every failing skill is listed.</exception>
    public async Task<DeployedStrategy> BuildAsync(string name, string pointerKey, string version, Strategy strategy, IReadOnlyList<StrategyProblem> problems, StoredArtifact? source, bool apart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(problems);
        apart |= cache is null || !preferExact;
        var models = new List<LoadedModel>();
        try
        {
            return await BuildAsync(name, pointerKey, version, strategy, problems, source, apart, models, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (apart)
        {
            // Models loaded apart belong to no one else: a version that does not build frees them.
            models.ForEach(m => m.Dispose());
            throw;
        }
    }

    private async Task<DeployedStrategy> BuildAsync(string name, string pointerKey, string version, Strategy strategy, IReadOnlyList<StrategyProblem> problems, StoredArtifact? source, bool apart, List<LoadedModel> models, CancellationToken cancellationToken)
    {
        var failures = new List<StrategyProblem>();
        foreach (var skill in strategy.SkillsOf<InferenceModelSkill>())
        {
            try
            {
                models.Add(apart ? await ModelArtifacts.LoadAsync(skill, store, cancellationToken, preferExact).ConfigureAwait(false) : await LoadCachedAsync(skill, cache!, cancellationToken).ConfigureAwait(false));
            }
            catch (ModelException ex)
            {
                failures.Add(new StrategyProblem(ex.Message, skill.Location));
            }
        }

        if (failures.Count > 0)
        {
            throw new StrategyVersionException(version, failures);
        }

        CompiledStrategy compiled;
        try
        {
            var bySkill = strategy.SkillsOf<InferenceModelSkill>().Zip(models).ToDictionary(p => p.First.Name, p => p.Second.Model);
            compiled = StrategyCompiler.Compile(strategy, bySkill);
        }
        catch (CycleException ex)
        {
            throw new StrategyVersionException(version, [new StrategyProblem(ex.Message, null)]);
        }

        return new DeployedStrategy(name, pointerKey, version, strategy, compiled, models, [.. problems.Where(p => p.IsWarning).Select(p => p.ToString())], source, apart);
    }

    // A model is cached by its key and the ETags of all its artifacts: replacing any file reloads it.
    private async Task<LoadedModel> LoadCachedAsync(InferenceModelSkill skill, ArtifactCache models, CancellationToken cancellationToken)
    {
        var etags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in skill.ArtifactKeys)
        {
            var info = await store.StatAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw new ModelException($"skill '{skill.Name}': '{key}' does not exist in {store.Description}");
            etags[key] = info.ETag;
        }

        var stamp = $"{string.Join("/", skill.ArtifactKeys.Select(k => etags[k]))}|{string.Join(",", skill.Inputs)}|{string.Join(",", skill.Outputs)}";
        return await models.GetOrLoadAsync("model", skill.ModelPath, stamp, async ct =>
        {
            // The ETags just read go with the load: each artifact is asked of the store once per reload, not twice.
            var model = await ModelArtifacts.LoadAsync(skill, store, ct, knownETags: etags).ConfigureAwait(false);
            return (model, model.ArtifactBytes);
        }, cancellationToken).ConfigureAwait(false);
    }
}
