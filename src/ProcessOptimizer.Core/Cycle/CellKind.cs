namespace ProcessOptimizer.Core.Cycle;

/// <summary>What a cell of a <see cref="ProcessWindow"/> holds: a value, a null, or nothing (the row names no such tag).</summary>
public enum CellKind : byte
{
    Value = 0,
    Null = 1,
    Absent = 2,
}
