using MessagePack;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Workers;

/// <summary>One cycle for a worker: which strategy, the data window and the solver settings.</summary>
/// <param name="Version">The version the service ran with; the worker builds the same one.</param>
/// <param name="InlineText">An inline strategy's text (API requests); null for the deployed strategy.</param>
/// <param name="MaxSolveSeconds">The solve's deadline, which the worker enforces from the solver's callbacks as the service does.</param>
/// <param name="Artifacts">
/// The ETag of every artifact the strategy is built from, by key (the YAML and the models; only the models for an
/// inline strategy). A worker that does not hold each at that ETag answers which it lacks, and the service sends them.
/// </param>
/// <param name="Replay">A backtest's version: built beside the version the worker serves, never in its place.</param>
/// <param name="PointerKey">The version pointer of the strategy <paramref name="Version"/> belongs to: a worker keeps each strategy apart.</param>
/// <param name="Warm">The strategy loop's previous cycle of this version, to start from; the worker keeps nothing between requests.</param>
[MessagePackObject]
public sealed record SolveRequest(
    [property: Key(0)] int Protocol,
    [property: Key(1)] string Version,
    [property: Key(2)] string? InlineText,
    [property: Key(3), MessagePackFormatter(typeof(WindowFormatter))] IReadOnlyList<ProcessRow> Rows,
    [property: Key(4)] int MaxIterations,
    [property: Key(5)] double Tolerance,
    [property: Key(6)] bool ExactHessian,
    [property: Key(7)] int MaxSolveSeconds,
    [property: Key(8)] IReadOnlyDictionary<string, string> Artifacts,
    [property: Key(9)] bool Replay = false,
    [property: Key(10)] string PointerKey = Strategies.StoreLayout.DefaultPointer,
    [property: Key(11)] CycleWarmStart? Warm = null) : IWorkerMessage;
