using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Dashboard;

/// <summary>A strategy version's YAML and definition as stored, read without loading its models.</summary>
public sealed class StrategyVersions(StorageSettings settings)
{
    /// <summary>The version's YAML text, or null when the store holds no such version.</summary>
    /// <exception cref="StorageException">The store cannot be read.</exception>
    public async Task<string?> TextAsync(DashboardStrategy strategy, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var store = strategy.Repository.Store;
        var key = StoreLayout.ConfigKey(strategy.Repository.PointerKey, version);
        return StoreLayout.IsValidVersion(version) && await store.StatAsync(key, cancellationToken).ConfigureAwait(false) is not null
            ? await store.GetTextAsync(key, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>The version's definition: the live one when it is live, else parsed from the store; with a note saying why it is null.</summary>
    public async Task<(Strategy? Definition, string? Note)> DefinitionAsync(DashboardStrategy strategy, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (strategy.Repository.Current is { } live && live.Version == version)
        {
            return (live.Definition, null);
        }

        try
        {
            if (await TextAsync(strategy, version, cancellationToken).ConfigureAwait(false) is not { } text)
            {
                return (null, $"version {version} is not in the store, so its limits are not shown");
            }

            var (definition, problems) = StrategyLoader.Read(text, limits: settings.Limits);
            return definition is not null
                ? (definition, null)
                : (null, $"version {version} does not validate, so its limits are not shown: {string.Join("; ", problems.Where(p => !p.IsWarning).Take(3))}");
        }
        catch (StorageException ex)
        {
            return (null, $"version {version} cannot be read from the store, so its limits are not shown: {ex.Message}");
        }
    }
}
