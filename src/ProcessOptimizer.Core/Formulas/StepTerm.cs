namespace ProcessOptimizer.Core.Formulas;

/// <summary>A piecewise constant part of a formula whose value jumps as some moving symbol changes.</summary>
/// <param name="Text">The term as printed, such as <c>floor(x)</c> or <c>x // 2</c>.</param>
/// <param name="Position">Zero-based offset of the term in the formula text, or -1 when unknown.</param>
/// <param name="Symbols">The moving symbols the jumps depend on, in order of first appearance.</param>
public sealed record StepTerm(string Text, int Position, IReadOnlyList<string> Symbols);
