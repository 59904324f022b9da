using ProcessOptimizer.Core.Models;

namespace ProcessOptimizer.Inference;

/// <summary>A model ready to run, with the ETag of each artifact it was built from and their total size. Disposing it frees the native session.</summary>
public sealed record LoadedModel(IModel Model, IReadOnlyDictionary<string, string> ArtifactVersions, long ArtifactBytes) : IDisposable
{
    public void Dispose() => (Model as IDisposable)?.Dispose();
}
