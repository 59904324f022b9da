using ProcessOptimizer.Core.Models;

namespace ProcessOptimizer.Inference;

/// <summary>A model ready to run, with the ETag of each artifact it was built from. Disposing it frees the native session.</summary>
public sealed record LoadedModel(IModel Model, IReadOnlyDictionary<string, string> ArtifactVersions) : IDisposable
{
    public void Dispose() => (Model as IDisposable)?.Dispose();
}
