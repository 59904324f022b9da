using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>
/// Resolves the names in a MathFunction formula as the seed does: for each input X, <c>X</c> and
/// <c>X_dof</c> are its dof value, <c>X_current</c> its current value, <c>X_threshold</c> its threshold
/// (only when non-zero); every weight is available by name.
/// </summary>
public static class FormulaBinder
{
    private const string DofSlot = "dof:";
    private const string CurrentSlot = "current:";

    /// <summary>Binds and compiles the skill's formula, or returns the problems that prevent it.</summary>
    /// <returns>The bound formula, or null with at least one problem (each carrying a column in the formula).</returns>
    public static BoundFormula? Bind(MathFunctionSkill skill, Strategy strategy, out IReadOnlyList<string> problems) =>
        Bind(skill, strategy, out problems, out _);

    /// <param name="notes">Things worth a warning that do not stop the formula, such as a threshold of 0.</param>
    /// <param name="maxNodes">Most nodes the formula may compile to, value and derivatives together.</param>
    public static BoundFormula? Bind(MathFunctionSkill skill, Strategy strategy, out IReadOnlyList<string> problems, out IReadOnlyList<string> notes, long maxNodes = FormulaLimits.MaxDerivativeNodes)
    {
        var warnings = new List<string>();
        notes = warnings;
        FormulaNode syntax;
        try
        {
            syntax = FormulaParser.Parse(skill.Formula);
        }
        catch (FormulaSyntaxException ex)
        {
            problems = [$"formula syntax error: {ex.Message}"];
            return null;
        }

        var errors = new List<string>();
        var inputs = skill.Inputs.ToHashSet(StringComparer.Ordinal);
        var dofs = new List<string>();
        var currents = new List<string>();

        FormulaNode Resolve(SymbolNode symbol)
        {
            var name = symbol.Name;
            if (inputs.Contains(name))
            {
                return Slot(dofs, DofSlot, name, symbol);
            }

            if (strategy.Weights.TryGetValue(name, out var weight))
            {
                return new NumberNode(weight) { Position = symbol.Position };
            }

            if (Suffixed(name, "_dof") is { } dof && inputs.Contains(dof))
            {
                return Slot(dofs, DofSlot, dof, symbol);
            }

            if (Suffixed(name, "_current") is { } current && inputs.Contains(current))
            {
                return Slot(currents, CurrentSlot, current, symbol);
            }

            if (Suffixed(name, "_threshold") is { } owner && inputs.Contains(owner) && strategy.Variables.TryGetValue(owner, out var variable))
            {
                // The seed leaves X_threshold undefined at 0 and then silently zeroes the whole formula. Here it is
                // 0, so a division by it is reported when it happens, and strategies with zero-width move windows
                // still load.
                if (variable.Threshold == 0)
                {
                    warnings.Add($"'{name}' at column {symbol.Position + 1} is 0 (the threshold of '{owner}'); the seed left it undefined, and a division by it fails when evaluated");
                }

                return new NumberNode(variable.Threshold) { Position = symbol.Position };
            }

            var referenced = new[] { name, Suffixed(name, "_dof"), Suffixed(name, "_current"), Suffixed(name, "_threshold") }
                .FirstOrDefault(n => n is not null && strategy.Variables.ContainsKey(n));
            errors.Add(referenced is not null
                ? $"'{name}' at column {symbol.Position + 1} refers to variable '{referenced}', which is not an input of this skill"
                : $"undefined symbol '{name}' at column {symbol.Position + 1}");
            return symbol;
        }

        var bound = Rewrite(syntax, Resolve);
        foreach (var step in StepTerms.Find(syntax, name => inputs.Contains(name) || (Suffixed(name, "_dof") is { } d && inputs.Contains(d))))
        {
            warnings.Add($"{step.Text} at column {step.Position + 1} moves in steps with {string.Join(", ", step.Symbols.Select(v => $"'{v}'"))}: "
                + "its slope is 0 wherever it is defined, so a solve cannot see its steps, and an optimum over it is only local");
        }

        problems = errors;
        if (errors.Count > 0)
        {
            return null;
        }

        var parameters = dofs.Select(d => DofSlot + d).Concat(currents.Select(c => CurrentSlot + c)).ToArray();
        try
        {
            return new BoundFormula(FormulaCompiler.Compile(skill.Formula, bound, parameters, dofs.Count, maxNodes), dofs, currents);
        }
        catch (FormulaSyntaxException ex)
        {
            problems = [ex.Message];
            return null;
        }
    }

    private static SymbolNode Slot(List<string> slots, string prefix, string variable, SymbolNode symbol)
    {
        if (!slots.Contains(variable))
        {
            slots.Add(variable);
        }

        return new SymbolNode(prefix + variable) { Position = symbol.Position };
    }

    private static string? Suffixed(string name, string suffix) =>
        name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal) ? name[..^suffix.Length] : null;

    private static FormulaNode Rewrite(FormulaNode node, Func<SymbolNode, FormulaNode> resolve) => node switch
    {
        SymbolNode s => resolve(s),
        UnaryNode u => u with { Operand = Rewrite(u.Operand, resolve) },
        BinaryNode b => b with { Left = Rewrite(b.Left, resolve), Right = Rewrite(b.Right, resolve) },
        ConditionalNode c => c with { Test = Rewrite(c.Test, resolve), WhenTrue = Rewrite(c.WhenTrue, resolve), WhenFalse = Rewrite(c.WhenFalse, resolve) },
        CallNode c => c with { Arguments = c.Arguments.Select(a => Rewrite(a, resolve)).ToArray() },
        _ => node,
    };
}
