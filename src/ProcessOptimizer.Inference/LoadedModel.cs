using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Storage;

namespace ProcessOptimizer.Inference;

/// <summary>
/// A model ready to run, with the artifacts it was built from (model, scalers, metadata, each with its ETag).
/// Disposing it frees the native session.
/// </summary>
/// <remarks>
/// The artifacts are kept so that the service can give them to its solver workers, which never read the store
/// themselves; plant models are a few hundred kilobytes, and this is one more copy of each.
/// </remarks>
public sealed record LoadedModel(IModel Model, IReadOnlyList<StoredArtifact> Artifacts) : IDisposable
{
    /// <summary>ETag of each artifact, by key.</summary>
    public IReadOnlyDictionary<string, string> ArtifactVersions { get; } = Artifacts.ToDictionary(a => a.Key, a => a.ETag);

    /// <summary>The artifacts' total size.</summary>
    public long ArtifactBytes { get; } = Artifacts.Sum(a => (long)a.Content.Length);

    public void Dispose() => (Model as IDisposable)?.Dispose();
}
