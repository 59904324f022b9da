using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// Adds up the runtime's allocation samples (an event about every 100 KB a thread allocates, naming the type that
/// crossed the mark) by type, to find what a cycle allocates. Sampled: a type's share is an estimate that firms up
/// with more cycles.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public bool Enabled { get; set; }

    public void Print(int cycles)
    {
        Console.WriteLine();
        Console.WriteLine("| type (allocation samples, all threads) | estimated bytes per cycle |");
        Console.WriteLine("| --- | --- |");
        foreach (var (name, bytes) in _bytes.OrderByDescending(p => p.Value).Take(40))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {bytes / (double)cycles:N0} |"));
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!Enabled || eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true
            || eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
        {
            return;
        }

        var type = names.IndexOf("TypeName") is >= 0 and var t ? payload[t] as string ?? "?" : "?";
        var amount = names.IndexOf("AllocationAmount64") is >= 0 and var a ? Convert.ToInt64(payload[a], CultureInfo.InvariantCulture) : 0;
        _bytes.AddOrUpdate(type, amount, (_, total) => total + amount);
    }
}
