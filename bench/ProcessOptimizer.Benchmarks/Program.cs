using System.Globalization;
using BenchmarkDotNet.Running;
using ProcessOptimizer.Benchmarks;

// `suite [repetitions] [ipopt_option=value ...]` prints the per-problem table; anything else goes to
// BenchmarkDotNet (for example --filter '*').
if (args is ["suite", ..])
{
    var options = args.Skip(2).Select(a => a.Split('=', 2)).ToDictionary(
        p => p[0],
        p => int.TryParse(p[1], CultureInfo.InvariantCulture, out var i) ? i
            : double.TryParse(p[1], CultureInfo.InvariantCulture, out var d) ? (object)d : p[1]);
    SuiteReport.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30, options);
    return;
}

// load URL|SERVICE_DLL [requests per level] [clients,...] [warm-up seconds]: a running service, or the dll started
// here on a port the system picks, at 1, 8 and 32 clients, or the levels given, after 20 s of warm-up or the time
// given (0 for a service warmed already).
if (args is ["load", var target, ..])
{
    await LoadReport.RunAsync(
        target,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 400,
        args.Length > 3 ? [.. args[3].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))] : [1, 8, 32],
        TimeSpan.FromSeconds(args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 20));
    return;
}

// workers SERVICE_DLL [requests per chunk] [rounds] [workers,...]: services with solves in-process and in 1 and 2
// workers, all up at once and loaded in turn at 8, 32 and 1 clients.
if (args is ["workers", var serviceDll, ..])
{
    int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
    await WorkerReport.RunAsync(
        serviceDll,
        Arg(2, 300),
        Arg(3, 5),
        args.Length > 4 ? [.. args[4].Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture))] : [0, 1, 2]);
    return;
}

// single SERVICE_DLL [requests per chunk] [rounds] [workers,...]: one client against services with solves in-process
// and in workers, and the in-process cycle on the same window, in turn.
if (args is ["single", var singleDll, ..])
{
    int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
    await SingleClientReport.RunAsync(
        singleDll,
        args.Length > 4 ? [.. args[4].Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture))] : [0, 1, 2],
        Arg(2, 200),
        Arg(3, 8));
    return;
}

// compare A.dll B.dll [requests per chunk] [rounds] [workers] [clients]: two builds loaded in turn.
if (args is ["compare", var before, var after, ..])
{
    int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
    await CompareReport.RunAsync([before, after], Arg(3, 300), Arg(4, 6), Arg(5, 1), Arg(6, 1));
    return;
}

// replaced A.dll B.dll [rounds]: the first request after a worker is killed and replaced, two builds in turn.
if (args is ["replaced", var replacedBefore, var replacedAfter, ..])
{
    await ReplacementReport.RunAsync([replacedBefore, replacedAfter], args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8);
    return;
}

if (args is ["backtest", var backtestService, ..])
{
    await BacktestReport.RunAsync(backtestService, args.Length > 2 ? [.. args.Skip(2).Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [7, 28]);
    return;
}

if (args is ["cluster", var clusterServiceDll, ..])
{
    await ClusterReport.RunAsync(clusterServiceDll, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30);
    return;
}

if (args is ["memory", ..])
{
    MemoryReport.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000);
    return;
}

if (args is ["cycle", ..])
{
    await CycleReport.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30);
    return;
}

if (args is ["alloc", ..])
{
    await AllocationReport.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000, args is [_, _, "types"]);
    return;
}

if (args is ["cold", ..])
{
    await ColdStartReport.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
    return;
}

if (args is ["warm", ..])
{
    WarmStartReport.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30);
    return;
}

if (args is ["scaling", ..])
{
    ScalingReport.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000);
    return;
}

// `import SERVICE_DLL [--previous PREVIOUS_DLL] [rounds]`: import-data of a year, side by side with the previous build.
if (args is ["import", var importDll, .. var importRest])
{
    var previous = importRest is ["--previous", var previousDll, ..] ? previousDll : null;
    var rounds = importRest.Skip(previous is null ? 0 : 2).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(3);
    await ImportReport.RunAsync([.. previous is null ? [] : new[] { ("previous", previous) }, ("this build", importDll)], rounds);
    return;
}

// `channel [messages] [rounds]`: the worker channel's CPU per request on the kiln window, writing and reading the request and the answer.
if (args is ["channel", ..])
{
    await ChannelReport.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
    return;
}

// `store sqlite|postgres [runs per chunk] [chunks]`: CPU and wall time per stored run like the kiln's answer.
if (args is ["store", var storeKind, ..])
{
    await StoreReport.RunAsync(storeKind, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5);
    return;
}

if (args is ["data", ..])
{
    await DataReport.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(FormulaBenchmarks).Assembly).Run(args);
