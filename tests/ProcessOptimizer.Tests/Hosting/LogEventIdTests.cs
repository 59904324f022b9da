using Microsoft.Extensions.Logging;
using System.Reflection;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Tests.Hosting;

public class LogEventIdTests
{
    // An operator filters and alerts on event ids; two messages under one id hide one behind the other.
    [Fact]
    public void EveryLogMessage_HasItsOwnEventId()
    {
        var messages = new[] { typeof(StrategyRepository).Assembly, typeof(ArtifactCache).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: $"{method.DeclaringType!.Name}.{method.Name}", Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();

        Assert.True(messages.Count > 20, $"only {messages.Count} log messages were found; the scan is not seeing them");
        var shared = messages.GroupBy(m => m.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}");
        Assert.Empty(shared);
    }
}
