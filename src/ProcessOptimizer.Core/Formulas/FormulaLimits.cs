namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// How large a formula may be. The parser refuses anything larger before any tree pass runs, so no
/// recursive pass (binder, differentiator, compiler, printer, interval evaluator) can exhaust the stack,
/// and no derivative tree grows without bound.
/// </summary>
/// <remarks>
/// The seed's formulas are a few dozen operations, nested under ten levels; the limits are ten times that
/// and more. A chain <c>a + b + c</c> nests one level per operator, because the tree does.
/// </remarks>
public static class FormulaLimits
{
    /// <summary>Longest formula text, in characters.</summary>
    public const int MaxLength = 10_000;

    /// <summary>Deepest nesting of the tree, and of parentheses, unary operators and conditionals while parsing.</summary>
    public const int MaxDepth = 100;

    /// <summary>Most nodes (numbers, names, operators, calls) in one formula.</summary>
    public const int MaxNodes = 1_000;

    /// <summary>
    /// Most nodes the compiled value, gradient and Hessian may hold together. Derivatives are compiled as
    /// trees, and the derivative of a product of n factors has n² nodes, the second n³: past this budget the
    /// compiled delegate takes seconds to build and may not fit on a thread's stack.
    /// </summary>
    public const int MaxDerivativeNodes = 100_000;

    /// <summary>Checks a parsed tree without recursion.</summary>
    /// <exception cref="FormulaSyntaxException">The tree is deeper or larger than the limits, at the node that crosses them.</exception>
    internal static void Check(FormulaNode root)
    {
        var pending = new Stack<(FormulaNode Node, int Depth)>();
        pending.Push((root, 1));
        var nodes = 0;
        while (pending.TryPop(out var item))
        {
            var (node, depth) = item;
            if (++nodes > MaxNodes)
            {
                throw new FormulaSyntaxException($"formula has more than {MaxNodes} operations and operands", Math.Max(node.Position, 0));
            }

            if (depth > MaxDepth)
            {
                throw new FormulaSyntaxException(TooDeep, Math.Max(node.Position, 0));
            }

            foreach (var child in Children(node))
            {
                pending.Push((child, depth + 1));
            }
        }
    }

    /// <summary>Checks the size of the trees a formula compiles to, as emitted (shared subtrees counted each time).</summary>
    /// <returns>The number of nodes.</returns>
    /// <exception cref="FormulaSyntaxException">They exceed <paramref name="limit"/>.</exception>
    internal static long CheckCompiledSize(IEnumerable<FormulaNode> trees, long limit)
    {
        var sizes = new Dictionary<FormulaNode, long>(ReferenceEqualityComparer.Instance);
        var total = 0L;
        foreach (var tree in trees)
        {
            total = Sum(total, Size(tree, sizes));
        }

        if (total > limit)
        {
            var which = limit < MaxDerivativeNodes ? "what is left of the strategy's MaxCompiledNodes" : "simplify it, or split it over several skills";
            var count = total == Saturated ? $"more than {Saturated}" : $"{total}";
            throw new FormulaSyntaxException($"formula and its derivatives would compile to {count} nodes; the limit is {limit} ({which})", 0);
        }

        return total;
    }

    // A tree that doubles with each of 100 levels has 2^100 nodes: counts stop here rather than overflow.
    private const long Saturated = long.MaxValue / 4;

    private static long Sum(long a, long b) => Math.Min(a + b, Saturated);

    // The trees are shared graphs; memoising by reference counts each in time linear in its distinct nodes.
    // Derivative trees are at most a few times deeper than the formula, which Check has bounded.
    private static long Size(FormulaNode node, Dictionary<FormulaNode, long> sizes)
    {
        if (sizes.TryGetValue(node, out var known))
        {
            return known;
        }

        var size = 1L;
        foreach (var child in Children(node))
        {
            size = Sum(size, Size(child, sizes));
        }

        sizes[node] = size;
        return size;
    }

    internal const string TooDeep = "formula is nested more than 100 levels deep (each operator in a chain such as a + b + c counts as one level)";

    /// <summary>A node's operands, in the order they appear in the formula.</summary>
    internal static IEnumerable<FormulaNode> Children(FormulaNode node) => node switch
    {
        UnaryNode u => [u.Operand],
        BinaryNode b => [b.Left, b.Right],
        ConditionalNode c => [c.Test, c.WhenTrue, c.WhenFalse],
        CallNode c => c.Arguments,
        _ => [],
    };
}
