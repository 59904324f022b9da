using BenchmarkDotNet.Running;
using ProcessOptimizer.Benchmarks;

// `suite` prints the per-problem table; anything else goes to BenchmarkDotNet (for example --filter '*').
if (args is ["suite", ..])
{
    SuiteReport.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 30);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(FormulaBenchmarks).Assembly).Run(args);
