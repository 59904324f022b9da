namespace ProcessOptimizer.Benchmarks;

/// <summary>What one run of the load client saw: each answer's latency in milliseconds, and how many answers failed.</summary>
internal sealed class LoadRun(int capacity)
{
    public List<double> Latencies { get; } = new(capacity);

    public int Failures { get; private set; }

    public void Add(double milliseconds, HttpAnswer answer)
    {
        Latencies.Add(milliseconds);
        if (!answer.Ok)
        {
            // Rare, and the reason matters more than its cost: a failure is counted and its answer shown.
            Failures++;
            Console.Error.WriteLine($"{answer.Status}{(answer.Whole ? "" : " (body cut short)")}: {answer.Text}");
        }
    }
}
