namespace ProcessOptimizer.Core.Runs;

/// <summary>Where a save left a run: its id, and whether a run with its key was stored already (so nothing was written).</summary>
public sealed record RunSave(long Id, bool Duplicate);
