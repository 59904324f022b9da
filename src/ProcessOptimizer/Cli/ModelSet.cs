using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Inference;

namespace ProcessOptimizer.Cli;

/// <summary>The loaded models of one strategy, by skill name. Disposing it frees every native session.</summary>
internal sealed class ModelSet : IDisposable
{
    private readonly Dictionary<string, LoadedModel> _loaded;

    private ModelSet(Dictionary<string, LoadedModel> loaded) => _loaded = loaded;

    public IReadOnlyDictionary<string, IModel> Models => _loaded.ToDictionary(p => p.Key, p => p.Value.Model);

    /// <summary>Loads every InferenceModel skill's artifacts; on any failure, frees what was loaded and rethrows.</summary>
    public static async Task<ModelSet> LoadAsync(Strategy strategy, IObjectStore? store, CancellationToken cancellationToken, bool preferExact = true)
    {
        var loaded = new Dictionary<string, LoadedModel>(StringComparer.Ordinal);
        try
        {
            foreach (var skill in strategy.SkillsOf<InferenceModelSkill>())
            {
                if (store is null)
                {
                    throw new ModelException($"skill '{skill.Name}': model '{skill.ModelPath}' needs a model store (--store DIR)");
                }

                loaded[skill.Name] = await ModelArtifacts.LoadAsync(skill, store, cancellationToken, preferExact).ConfigureAwait(false);
            }

            return new ModelSet(loaded);
        }
        catch
        {
            foreach (var model in loaded.Values)
            {
                model.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        foreach (var model in _loaded.Values)
        {
            model.Dispose();
        }
    }
}
