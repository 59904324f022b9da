using System.Text.Json;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Inference.Exact;
using ProcessOptimizer.Inference.Onnx;
using ProcessOptimizer.Inference.Scalers;

namespace ProcessOptimizer.Inference;

/// <summary>Loads an InferenceModel skill's artifacts (model, scalers, optional metadata) from an object store.</summary>
public static class ModelArtifacts
{
    /// <exception cref="ModelException">An artifact is missing, corrupt, or does not match the skill; the message names the skill and key.</exception>
    /// <exception cref="StorageException">The store failed for a reason other than a missing object.</exception>
    /// <param name="preferExact">Try the exact evaluator first (the default); false keeps ONNX Runtime with finite differences, for comparisons.</param>
    /// <param name="knownETags">ETags the caller has just read for these keys (a cache's stamp): such an artifact is fetched without asking the store for it again.</param>
    public static async Task<LoadedModel> LoadAsync(InferenceModelSkill skill, IObjectStore store, CancellationToken cancellationToken, bool preferExact = true, IReadOnlyDictionary<string, string>? knownETags = null)
    {
        ArgumentNullException.ThrowIfNull(skill);
        ArgumentNullException.ThrowIfNull(store);
        if (Path.GetExtension(skill.ModelPath) is ".pth" or ".pt" || Path.GetExtension(skill.ScalerPath) == ".pkl")
        {
            throw new ModelException($"skill '{skill.Name}': '{skill.ModelPath}' and '{skill.ScalerPath}' are the legacy PyTorch/pickle artifacts; convert them with tools/convert-legacy-model (see the README)");
        }

        var modelFile = await Read(skill, store, skill.ModelPath, knownETags, cancellationToken).ConfigureAwait(false);
        var scalerFile = await Read(skill, store, skill.ScalerPath, knownETags, cancellationToken).ConfigureAwait(false);
        var scalers = ScalerSet.Parse(System.Text.Encoding.UTF8.GetString(scalerFile.Content), skill.ScalerPath);
        var artifacts = new List<StoredArtifact> { modelFile, scalerFile };
        if (skill.MetadataPath is { } metadataPath)
        {
            var metadata = await Read(skill, store, metadataPath, knownETags, cancellationToken).ConfigureAwait(false);
            CheckMetadata(skill, metadataPath, metadata.Content);
            artifacts.Add(metadata);
        }

        var model = OnnxModelLoader.Create(skill.Name, skill.ModelPath, modelFile.Content, skill.Inputs, skill.Outputs, scalers);
        string? reason = null;
        var exact = preferExact ? ExactModelFactory.TryCreate(skill.Name, modelFile.Content, model, model.InputScalers, model.OutputScalers, out reason) : null;
        if (exact is null)
        {
            model.DerivativeNote = reason;
            return Checked(skill, new LoadedModel(model, artifacts), model.InputScalers);
        }

        // The exact evaluator replaces ONNX Runtime for this model: free the native session now.
        var inputScalers = model.InputScalers;
        model.Dispose();
        return Checked(skill, new LoadedModel(exact, artifacts), inputScalers);
    }

    private static LoadedModel Checked(InferenceModelSkill skill, LoadedModel loaded, IReadOnlyList<Scaler> inputScalers)
    {
        try
        {
            FiniteProbe.Verify(skill.Name, skill.ModelPath, loaded.Model, inputScalers);
            return loaded;
        }
        catch (ModelException)
        {
            loaded.Dispose();
            throw;
        }
    }

    private static async Task<StoredArtifact> Read(InferenceModelSkill skill, IObjectStore store, string key, IReadOnlyDictionary<string, string>? knownETags, CancellationToken cancellationToken)
    {
        try
        {
            var etag = knownETags?.GetValueOrDefault(key)
                ?? (await store.StatAsync(key, cancellationToken).ConfigureAwait(false))?.ETag
                ?? throw new ObjectNotFoundException(key, store.Description);
            return new StoredArtifact(key, etag, await store.GetBytesAsync(key, cancellationToken).ConfigureAwait(false));
        }
        catch (ObjectNotFoundException)
        {
            throw new ModelException($"skill '{skill.Name}': '{key}' does not exist in {store.Description}");
        }
    }

    // The metadata written by our tools lists the model's inputs and outputs in training order: a strategy
    // that lists them in another order would feed the network the wrong columns, silently.
    private static void CheckMetadata(InferenceModelSkill skill, string key, byte[] content)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException ex)
        {
            throw new ModelException($"skill '{skill.Name}': metadata '{key}' is malformed JSON: {ex.Message}");
        }

        using (document)
        {
            foreach (var (field, declared) in new[] { ("inputs", skill.Inputs), ("outputs", skill.Outputs) })
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(field, out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    var trained = list.EnumerateArray().Select(e => e.GetString() ?? "").ToList();
                    if (!trained.SequenceEqual(declared))
                    {
                        throw new ModelException($"skill '{skill.Name}': metadata '{key}' says the model was trained on {field} [{string.Join(", ", trained)}], but the skill declares [{string.Join(", ", declared)}]");
                    }
                }
            }
        }
    }
}
