using System.Globalization;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// The worker channel's share of a request, on the kiln window that <c>single</c> and <c>compare</c> send: the
/// service writing a <see cref="SolveRequest"/> frame, and a worker reading it into the cycle's input (the window
/// by column, as the cycle reads it). CPU time of this process per message, so a busy machine's waits do not count.
/// </summary>
internal static class ChannelReport
{
    public static void Run(int messages, int rounds)
    {
        var input = InputParser.ReadFile(Repository.KilnWindow);
        var request = new SolveRequest(WorkerProtocol.Version, "1.0.0", null, input.Rows, 3000, 1e-6, true, 30,
            new Dictionary<string, string> { ["strategies/kiln/1.0.0/strategy.yaml"] = "\"etag\"", ["models/kiln.onnx"] = "\"etag\"" });
        using var channel = new MemoryStream();
        var width = 0;
        void Write()
        {
            channel.Position = 0;
            WorkerProtocol.Write(channel, request);
        }

        void Read()
        {
            channel.Position = 0;
            var received = WorkerProtocol.Read<SolveRequest>(channel) ?? throw new InvalidDataException("no message");
            width = new CycleInput(received.Rows).Window.Tags.Count;
        }

        var writes = new List<double>();
        var reads = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            // Round 0 warms the code up to its last tier and is not reported.
            var write = Measure(Write, round == 0 ? 20 * messages : messages);
            var read = Measure(Read, round == 0 ? 20 * messages : messages);
            if (round > 0)
            {
                writes.Add(write);
                reads.Add(read);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The kiln window: {input.Rows.Count} rows of {width} tags, a request frame of {channel.Length} bytes; {rounds} rounds of {messages} messages each."));
        Console.WriteLine();
        Console.WriteLine("| step | CPU µs per message, median of rounds (min-max) |");
        Console.WriteLine("| --- | --- |");
        Console.WriteLine(Row("the service writes the request", writes));
        Console.WriteLine(Row("a worker reads it into the cycle's input", reads));
    }

    private static double Measure(Action step, int count)
    {
        var before = ProcStat.CpuSeconds(Environment.ProcessId) ?? 0;
        for (var i = 0; i < count; i++)
        {
            step();
        }

        return 1e6 * ((ProcStat.CpuSeconds(Environment.ProcessId) ?? 0) - before) / count;
    }

    private static string Row(string step, List<double> rounds)
    {
        var sorted = rounds.Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture, $"| {step} | {sorted[sorted.Length / 2]:F1} ({sorted[0]:F1}-{sorted[^1]:F1}) |");
    }
}
