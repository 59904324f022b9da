namespace ProcessOptimizer.Core.Formulas;

/// <summary>Prefix operators of the formula language.</summary>
public enum UnaryOperator
{
    Negate,
    Plus,
    Not,
}
