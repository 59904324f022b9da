using System.Globalization;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// The worker channel's share of a request, on the kiln window that <c>single</c> and <c>compare</c> send: the
/// service writing a <see cref="SolveRequest"/> frame (from the rows of an /optimize body, and from a window as the
/// loop reads it), a worker reading it into the cycle's input (the window by column, as the cycle reads it), and the
/// worker's answer (the kiln cycle's result) written and read. CPU time of this process per message, so a busy
/// machine's waits do not count.
/// </summary>
internal static class ChannelReport
{
    public static async Task RunAsync(int messages, int rounds)
    {
        var input = InputParser.ReadFile(Repository.KilnWindow);
        var artifacts = new Dictionary<string, string> { ["strategies/kiln/1.0.0/strategy.yaml"] = "\"etag\"", ["models/kiln.onnx"] = "\"etag\"" };
        var request = new SolveRequest(WorkerProtocol.Version, "1.0.0", null, input.Rows, 3000, 1e-6, true, 30, artifacts);
        var fromWindow = request with { Rows = ProcessWindow.Of(input.Rows) };
        var answer = new SolveReply(WorkerProtocol.Version, await (await InProcessCycle.LoadAsync()).RunOnceAsync(), null);
        var (requestFrame, answerFrame) = (Frame(request), Frame(answer));
        using var channel = new MemoryStream();
        void Write<T>(T message)
        {
            channel.Position = 0;
            WorkerProtocol.Write(channel, message);
        }

        var steps = new (string Step, Action Run)[]
        {
            ("the service writes the request (an /optimize body's rows)", () => Write(request)),
            ("the service writes the request (a window, as the loop reads it)", () => Write(fromWindow)),
            ("a worker reads it into the cycle's input", () => _ = new CycleInput(Read<SolveRequest>(requestFrame).Rows).Window.Count),
            ("the worker writes its answer (the kiln cycle's result)", () => Write(answer)),
            ("the service reads the answer", () => _ = Read<SolveReply>(answerFrame).Result),
        };

        var figures = steps.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round <= rounds; round++)
        {
            for (var s = 0; s < steps.Length; s++)
            {
                // Round 0 warms the code up to its last tier and is not reported.
                var cpu = Measure(steps[s].Run, round == 0 ? 20 * messages : messages);
                if (round > 0)
                {
                    figures[s].Add(cpu);
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The kiln window: {input.Rows.Count} rows of {input.Window.Tags.Count} tags, a request frame of {requestFrame.Length} bytes, an answer frame of {answerFrame.Length}; {rounds} rounds of {messages} messages each."));
        Console.WriteLine();
        Console.WriteLine("| step | CPU µs per message, median of rounds (min-max) |");
        Console.WriteLine("| --- | --- |");
        for (var s = 0; s < steps.Length; s++)
        {
            Console.WriteLine(Row(steps[s].Step, figures[s]));
        }
    }

    private static byte[] Frame<T>(T message)
    {
        using var channel = new MemoryStream();
        WorkerProtocol.Write(channel, message);
        return channel.ToArray();
    }

    private static T Read<T>(byte[] frame)
        where T : class, IWorkerMessage =>
        WorkerProtocol.Read<T>(new MemoryStream(frame, writable: false)) ?? throw new InvalidDataException("no message");

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
