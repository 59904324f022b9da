using System.Globalization;

namespace ProcessOptimizer.Core.Formulas;

/// <summary>Writes a formula back as text that parses to the same tree.</summary>
public static class FormulaPrinter
{
    /// <summary>Prints with full parentheses, so that the text never depends on precedence rules.</summary>
    public static string Print(FormulaNode node) => node switch
    {
        NumberNode n => n.Value.ToString("R", CultureInfo.InvariantCulture),
        SymbolNode s => s.Name,
        UnaryNode u => $"({UnaryText(u.Operator)}{Print(u.Operand)})",
        BinaryNode b => $"({Print(b.Left)} {BinaryText(b.Operator)} {Print(b.Right)})",
        ConditionalNode c => $"({Print(c.WhenTrue)} if {Print(c.Test)} else {Print(c.WhenFalse)})",
        CallNode c => $"{c.Function}({string.Join(", ", c.Arguments.Select(Print))})",
        _ => throw new ArgumentException($"unknown node {node.GetType().Name}", nameof(node)),
    };

    /// <summary>The source spelling of an operator.</summary>
    public static string BinaryText(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.FloorDivide => "//",
        BinaryOperator.Modulo => "%",
        BinaryOperator.Power => "**",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.And => "and",
        BinaryOperator.Or => "or",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static string UnaryText(UnaryOperator op) => op switch
    {
        UnaryOperator.Negate => "-",
        UnaryOperator.Plus => "+",
        _ => "not ",
    };
}
