namespace ProcessOptimizer.Strategies;

public sealed partial class StrategyRepository
{
    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Version changed from {Old} to {New}, invalidating cache")]
    private static partial void LogVersionChanged(ILogger logger, string old, string @new);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Cache invalidated due to version change. Cleared {Count} items")]
    private static partial void LogInvalidated(ILogger logger, int count);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Store {Store} is unreachable or holds an update that does not load; serving strategy {Version} from cache: {Reason}")]
    private static partial void LogDegraded(ILogger logger, string store, string version, string reason);

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "Artifact {Key} of strategy {Version} changed in the store; reloading")]
    private static partial void LogArtifactChanged(ILogger logger, string key, string version);

    [LoggerMessage(EventId = 115, Level = LogLevel.Error, Message = "Deployed version {Broken} cannot load; version {Version} keeps running: {Reason}")]
    private static partial void LogBroken(ILogger logger, string broken, string version, string reason);

    [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "Store {Store} is reachable again")]
    private static partial void LogRecovered(ILogger logger, string store);
}
