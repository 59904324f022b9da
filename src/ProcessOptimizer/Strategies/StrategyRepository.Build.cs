using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Inference;

namespace ProcessOptimizer.Strategies;

// How a version is built: its text read and checked, its models loaded (through the cache, or apart), compiled.
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
        var (strategy, problems) = StrategyLoader.Read(text, solver.ValidateOption, settings.Limits);
        return strategy is null
            ? throw new StrategyVersionException(version, problems)
            : await BuildAsync(version, strategy, problems, new StoredArtifact(key, info.ETag, System.Text.Encoding.UTF8.GetBytes(text)), apart, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads the models of a validated strategy (an inline API strategy, say) from this store and compiles it.</summary>
    /// <exception cref="StrategyVersionException">A model cannot be loaded; every failing skill is listed.</exception>
    public Task<DeployedStrategy> BuildAsync(string version, Strategy strategy, IReadOnlyList<StrategyProblem> problems, CancellationToken cancellationToken) =>
        BuildAsync(version, strategy, problems, null, false, cancellationToken);

    private async Task<DeployedStrategy> BuildAsync(string version, Strategy strategy, IReadOnlyList<StrategyProblem> problems, StoredArtifact? source, bool apart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(problems);
        var models = new List<LoadedModel>();
        try
        {
            return await BuildAsync(version, strategy, problems, source, apart, models, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (apart)
        {
            // Models loaded apart belong to no one else: a version that does not build frees them.
            models.ForEach(m => m.Dispose());
            throw;
        }
    }

    private async Task<DeployedStrategy> BuildAsync(string version, Strategy strategy, IReadOnlyList<StrategyProblem> problems, StoredArtifact? source, bool apart, List<LoadedModel> models, CancellationToken cancellationToken)
    {
        var failures = new List<StrategyProblem>();
        foreach (var skill in strategy.SkillsOf<InferenceModelSkill>())
        {
            try
            {
                models.Add(apart ? await ModelArtifacts.LoadAsync(skill, store, cancellationToken).ConfigureAwait(false) : await LoadModelAsync(skill, cancellationToken).ConfigureAwait(false));
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

        return new DeployedStrategy(name, PointerKey, version, strategy, compiled, models, [.. problems.Where(p => p.IsWarning).Select(p => p.ToString())], source, apart);
    }

    // A model is cached by its key and the ETags of all three artifacts: replacing any file reloads it.
    private async Task<LoadedModel> LoadModelAsync(InferenceModelSkill skill, CancellationToken cancellationToken)
    {
        var stamps = new List<string>();
        foreach (var key in new[] { skill.ModelPath, skill.ScalerPath, skill.MetadataPath }.OfType<string>())
        {
            var info = await store.StatAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw new ModelException($"skill '{skill.Name}': '{key}' does not exist in {store.Description}");
            stamps.Add(info.ETag);
        }

        var stamp = $"{string.Join("/", stamps)}|{string.Join(",", skill.Inputs)}|{string.Join(",", skill.Outputs)}";
        return await cache.GetOrLoadAsync("model", skill.ModelPath, stamp, async ct =>
        {
            var model = await ModelArtifacts.LoadAsync(skill, store, ct).ConfigureAwait(false);
            return (model, model.ArtifactBytes);
        }, cancellationToken).ConfigureAwait(false);
    }
}
