using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Tests.Formulas;

/// <summary>Compiles a formula over its own free symbols, in sorted order, all differentiated.</summary>
internal static class FormulaTestKit
{
    public static CompiledFormula Compile(string text)
    {
        var syntax = FormulaParser.Parse(text);
        var symbols = FreeSymbols(syntax).Order(StringComparer.Ordinal).ToArray();
        return FormulaCompiler.Compile(text, syntax, symbols, symbols.Length);
    }

    public static double Eval(string text, params double[] args) => Compile(text).Evaluate(args);

    public static IEnumerable<string> FreeSymbols(FormulaNode node) => node switch
    {
        SymbolNode s => [s.Name],
        UnaryNode u => FreeSymbols(u.Operand),
        BinaryNode b => FreeSymbols(b.Left).Union(FreeSymbols(b.Right)),
        ConditionalNode c => FreeSymbols(c.Test).Union(FreeSymbols(c.WhenTrue)).Union(FreeSymbols(c.WhenFalse)),
        CallNode c => c.Arguments.SelectMany(FreeSymbols).Distinct(),
        _ => [],
    };
}
