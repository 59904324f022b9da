namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// The sides <see cref="BranchFixer.Fix"/> takes at a formula's kinks, found without building the fixed tree: each
/// kink's side is decided from values and from whether symbols vary, and this walk computes both for the fixed
/// subtrees without making them. A caller that keeps the fixed trees by their sides (as a compiled step does) finds
/// the one it needs without allocating.
/// </summary>
/// <remarks>
/// It must take the sides <see cref="BranchFixer.Fix"/> takes, in the same order: the same kinks, the same values
/// compared (a margin's value is the difference of the fixed subtrees' values), and the same count of varying kinks
/// handed to <c>forced</c>. <c>BranchSidesTests</c> compares the two on random formulas, points and forced sides.
/// </remarks>
internal static class BranchSides
{
    /// <summary>
    /// Writes the side taken at every kink, varying or not, in order ('1' for the first, as <c>choices</c> records
    /// true) to <paramref name="sides"/>; returns how many, or -1 when <paramref name="sides"/> is too short.
    /// </summary>
    /// <param name="forced">As in <see cref="BranchFixer.Fix"/>; it is given the varying kink's index plus <paramref name="offset"/>.</param>
    public static int Of<TState>(
        FormulaNode node, Func<string, TState, double> symbol, Func<string, TState, bool> varies, TState state, Func<int, bool, bool>? forced, int offset, Span<char> sides)
    {
        var walk = new Walk<TState>(symbol, varies, state, forced, offset, sides);
        walk.Visit(node);
        return walk.Overflowed ? -1 : walk.Count;
    }

    private ref struct Walk<TState>(Func<string, TState, double> symbol, Func<string, TState, bool> varies, TState state, Func<int, bool, bool>? forced, int offset, Span<char> sides)
    {
        private readonly Span<char> _sides = sides;
        private int _conditions;

        public int Count { get; private set; }

        public bool Overflowed { get; private set; }

        // The value and whether a symbol varies, of the node as BranchFixer would leave it.
        public (double Value, bool Varies) Visit(FormulaNode node)
        {
            switch (node)
            {
                case NumberNode n:
                    return (n.Value, false);
                case SymbolNode s:
                    return (symbol(s.Name, state), varies(s.Name, state));
                case UnaryNode u:
                    var operand = Visit(u.Operand);
                    return (FormulaInterpreter.Apply(u.Operator, operand.Value), operand.Varies);
                case BinaryNode b:
                    var (left, right) = (Visit(b.Left), Visit(b.Right));
                    return (FormulaInterpreter.Apply(b.Operator, left.Value, right.Value), left.Varies || right.Varies);
                case ConditionalNode c:
                    return Conditional(c);
                case CallNode c:
                    return Call(c);
                default:
                    return (FormulaInterpreter.Evaluate(node, symbol, state), Symbols.Any(node, varies, state));
            }
        }

        private (double Value, bool Varies) Conditional(ConditionalNode c)
        {
            var (whenTrue, whenFalse) = (Visit(c.WhenTrue), Visit(c.WhenFalse));
            var test = FormulaInterpreter.Evaluate(c.Test, symbol, state) != 0;
            if (c.Test is not BinaryNode { Operator: BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual } comparison)
            {
                var taken = test ? whenTrue : whenFalse;
                return (taken.Value, whenTrue.Varies || whenFalse.Varies || Symbols.Any(c.Test, varies, state));
            }

            var marginVaries = Symbols.Any(comparison.Left, varies, state) || Symbols.Any(comparison.Right, varies, state);
            return Choose(whenTrue, whenFalse, test, marginVaries);
        }

        private (double Value, bool Varies) Call(CallNode call)
        {
            var count = call.Arguments.Count;
            if (count > 16)
            {
                Overflowed = true;
                return (double.NaN, true);
            }

            Span<double> values = stackalloc double[count];
            Span<bool> varying = stackalloc bool[count];
            for (var i = 0; i < count; i++)
            {
                (values[i], varying[i]) = Visit(call.Arguments[i]);
            }

            switch (call.Function)
            {
                case "abs":
                    return Choose((values[0], varying[0]), (-values[0], varying[0]), values[0] >= 0, varying[0]);
                case "max" or "min":
                    return Best(call.Function == "max", values, varying);
                case "clip":
                    // BranchFixer fixes clip(a, lo, hi) as min(max(a, lo), hi) of the fixed arguments.
                    var low = Best(max: true, values[..2], varying[..2]);
                    return Best(max: false, [low.Value, values[2]], [low.Varies, varying[2]]);
                default:
                    var anyVaries = false;
                    foreach (var v in varying)
                    {
                        anyVaries |= v;
                    }

                    return (FormulaInterpreter.Call(call, values), anyVaries);
            }
        }

        // Python keeps the first of equal items: the challenger wins only when strictly better.
        private (double Value, bool Varies) Best(bool max, scoped ReadOnlySpan<double> values, scoped ReadOnlySpan<bool> varying)
        {
            var best = (Value: values[0], Varies: varying[0]);
            for (var i = 1; i < values.Length; i++)
            {
                var challenger = (Value: values[i], Varies: varying[i]);
                var difference = max ? challenger.Value - best.Value : best.Value - challenger.Value;
                best = Choose(challenger, best, difference > 0, challenger.Varies || best.Varies);
            }

            return best;
        }

        private (double Value, bool Varies) Choose((double Value, bool Varies) first, (double Value, bool Varies) second, bool firstActive, bool marginVaries)
        {
            if (marginVaries)
            {
                firstActive = forced?.Invoke(offset + _conditions, firstActive) ?? firstActive;
                _conditions++;
            }

            if (Count < _sides.Length)
            {
                _sides[Count] = firstActive ? '1' : '0';
            }
            else
            {
                Overflowed = true;
            }

            Count++;
            return firstActive ? first : second;
        }
    }
}
