using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using ProcessOptimizer.Core.Formulas;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>A MathFunction: the formula's value goes to the dof of the first output.</summary>
internal sealed class MathStep : IStep
{
    private readonly BoundFormula _bound;
    private readonly int[] _dofs;
    private readonly int[] _currents;
    private readonly int[] _rowSumInputs = [];
    private readonly int _output;
    private readonly Lazy<bool> _hasKinks;
    private readonly Lazy<bool> _mayHaveConvexTerms;
    private readonly Lazy<LocalDerivatives> _derivatives;

    // Compiling a formula means generating and JIT-compiling code (about a millisecond each), and every
    // cycle of a kinked cost fixes its branches again; the fixed formulas depend only on the sides taken,
    // so they are kept per combination of sides, as the fixed step and its rows: the same objects every
    // cycle, which is what lets a workspace plan be found again (PlanCache). Bounded, because with many kinks
    // the combinations are many.
    private readonly ConcurrentDictionary<string, FixedStep> _fixed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FixedStep>.AlternateLookup<ReadOnlySpan<char>> _fixedBySides;
    private const int MaxFixedCombinations = 64;

    // Formulas with more kinks than this take the tree-building path every time.
    private const int MaxKeptSides = 128;

    public MathStep(int id, MathFunctionSkill skill, BoundFormula bound, Func<string, int> index)
        : this(id, skill, bound, [.. bound.DofVariables.Select(index)], [.. bound.CurrentVariables.Select(index)], index(skill.Outputs[0]))
    {
        _rowSumInputs = skill.RowSum ? [.. skill.Inputs.Select(index)] : [];
    }

    private MathStep(int id, MathFunctionSkill skill, BoundFormula bound, int[] dofs, int[] currents, int output)
    {
        Id = id;
        Skill = skill;
        _bound = bound;
        _dofs = dofs;
        _currents = currents;
        _output = output;
        Outputs = [_output];
        _hasKinks = new(() => BranchFixer.HasKinks(_bound.Formula.Syntax, IsDifferentiated));
        _mayHaveConvexTerms = new(() => ConvexTermShapes.MayFindTerms(_bound.Formula.Syntax, IsDifferentiated));
        _derivatives = new(() => LocalDerivatives.OfFormula(_bound.Formula, _dofs));
        _fixedBySides = _fixed.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Id { get; }

    public Skill Skill { get; }

    public IReadOnlyList<int> DofInputs => _dofs;

    public IReadOnlyList<int> Outputs { get; }

    public LocalDerivatives Derivatives => _derivatives.Value;

    public StepBuffers CreateBuffers(int order) =>
        new(_dofs.Length + _currents.Length, 1, order >= 2 ? _bound.Formula.HessianLength : 0);

    public void Prepare(VariableState state, StepBuffers buffers, ICollection<string> warnings)
    {
    }

    /// <summary>Whether the formula has a max/min/abs/if kink that moves with a differentiated input.</summary>
    public bool HasKinks => _hasKinks.Value;

    /// <summary>
    /// This step with every kink replaced by the branch active at the state's dof values, and the
    /// conditions (each ≥ 0) under which that replacement is exact.
    /// </summary>
    /// <param name="forced">Picks the side of each kink by its index instead of by the state; see <see cref="BranchFixer"/>.</param>
    /// <param name="offset">Added to a kink's index before <paramref name="forced"/> sees it (the kinks of earlier steps).</param>
    public (MathStep Step, IReadOnlyList<ConditionRow> Conditions) WithFixedBranches(VariableState state, Func<int, bool, bool>? forced = null, int offset = 0)
    {
        var formula = _bound.Formula;
        // Every warm cycle takes sides already seen: found by the sides alone, the kept step costs no tree.
        Span<char> sides = stackalloc char[MaxKeptSides];
        var count = BranchSides.Of(
            formula.Syntax, static (name, s) => s.Step.Value(name, s.State), static (name, s) => s.Step.IsDifferentiated(name), (Step: this, State: state), forced, offset, sides);
        if (count >= 0 && _fixedBySides.TryGetValue(sides[..count], out var kept))
        {
            return (kept.Step, kept.Rows);
        }

        var compiled = FixBranches(state, forced, offset);
        return (compiled.Step, compiled.Rows);
    }

    // Apart from the lookup above: a closure over the parameters is made when the method that captures them starts,
    // so here it is made only for sides not seen before.
    private FixedStep FixBranches(VariableState state, Func<int, bool, bool>? forced, int offset)
    {
        var choices = new List<bool>();
        var (fixedTree, conditions) = BranchFixer.Fix(
            _bound.Formula.Syntax, Lookup(state), IsDifferentiated, forced is null || offset == 0 ? forced : (k, active) => forced(offset + k, active), choices);
        return Compiled(string.Concat(choices.Select(c => c ? '1' : '0')), fixedTree, conditions);
    }

    /// <summary>
    /// This step without the terms of its sum that an epigraph replaces exactly (see <see cref="ConvexKinkSplitter"/>),
    /// and for each term taken out, its weight, the floor of its epigraph variable and the rows it must stay above.
    /// Null when the formula has no such term.
    /// </summary>
    public (MathStep Remainder, IReadOnlyList<(double Weight, double Floor, IReadOnlyList<ConditionRow> Rows)> Terms)? WithoutConvexKinks(VariableState state)
    {
        // Most kinked costs have no term of a covered form whatever the values (the seed's products of max terms):
        // known from the formula alone, they skip the split, which made its lists and lookups at every cycle.
        if (!_mayHaveConvexTerms.Value)
        {
            return null;
        }

        var (rest, terms) = ConvexKinkSplitter.Split(_bound.Formula.Syntax, Lookup(state), IsDifferentiated);
        if (terms.Count == 0)
        {
            return null;
        }

        var compiled = Compiled($"epigraph:{string.Join(",", terms.Select(t => $"{t.Index}{t.Signs}"))}", rest, [.. terms.SelectMany(t => t.Rows)]);
        var (taken, split) = (0, new List<(double, double, IReadOnlyList<ConditionRow>)>());
        foreach (var term in terms)
        {
            split.Add((term.Weight, term.Floor, compiled.Rows[taken..(taken + term.Rows.Count)]));
            taken += term.Rows.Count;
        }

        return (compiled.Step, split);
    }

    private Func<string, double> Lookup(VariableState state) => name => Value(name, state);

    private double Value(string name, VariableState state)
    {
        var slot = IndexOfParameter(name);
        return slot < _dofs.Length ? state.Dof[_dofs[slot]] : state.Current[_currents[slot - _dofs.Length]];
    }

    // The same key always means the same trees: the sides taken at every kink, or the terms taken out.
    private FixedStep Compiled(string key, FormulaNode tree, IReadOnlyList<FormulaNode> rows)
    {
        var formula = _bound.Formula;
        if (_fixed.TryGetValue(key, out var compiled))
        {
            return compiled;
        }

        compiled = new FixedStep(
            new MathStep(Id, (MathFunctionSkill)Skill, _bound with { Formula = FormulaCompiler.Compile(formula.Text, tree, formula.Parameters, formula.DifferentiatedCount) }, _dofs, _currents, _output),
            [.. rows.Select(c => new ConditionRow($"{Skill.Name}: {FormulaPrinter.Print(c)} >= 0", FormulaCompiler.Compile(formula.Text, c, formula.Parameters, formula.DifferentiatedCount), _dofs, _currents))]);
        return _fixed.Count < MaxFixedCombinations ? _fixed.GetOrAdd(key, compiled) : compiled;
    }

    /// <summary>Bounds the output over ranges of the inputs (<paramref name="range"/> by variable); currents are fixed.</summary>
    public Interval Bound(Func<int, Interval> range, VariableState state) =>
        IntervalEvaluator.Evaluate(_bound.Formula.Syntax, static (name, s) => s.Step.RangeOf(name, s.Range, s.State), (Step: this, Range: range, State: state));

    private Interval RangeOf(string name, Func<int, Interval> range, VariableState state)
    {
        var slot = IndexOfParameter(name);
        return slot < _dofs.Length ? range(_dofs[slot]) : Interval.Point(state.Current[_currents[slot - _dofs.Length]]);
    }

    private sealed record FixedStep(MathStep Step, ConditionRow[] Rows);

    private int IndexOfParameter(string name) => _bound.Formula.ParameterIndex(name);

    private bool IsDifferentiated(string name) => IndexOfParameter(name) < _dofs.Length;

    /// <summary>The formula's terms that move in steps with a dof input for which <paramref name="moves"/> holds, printed with the skill's own names.</summary>
    public IEnumerable<StepTerm> StepTerms(Func<int, bool> moves) =>
        Formulas.StepTerms.Find(_bound.Formula.Syntax, name => IsDifferentiated(name) && moves(_dofs[IndexOfParameter(name)]))
            .Select(t => t with { Text = t.Text.Replace(DofPrefix, "", StringComparison.Ordinal), Symbols = [.. t.Symbols.Select(v => v[DofPrefix.Length..])] });

    private const string DofPrefix = "dof:";

    /// <summary>The seed's <c>dataframe_formula</c>: the output's history column is the row-wise sum of the inputs.</summary>
    public void FillRowSum(VariableState state)
    {
        if (_rowSumInputs.Length == 0)
        {
            return;
        }

        var column = state.OwnColumn(_output);
        foreach (var input in _rowSumInputs)
        {
            var history = state.History[input];
            for (var r = 0; r < column.Length; r++)
            {
                column[r] += history?[r] ?? double.NaN;
            }
        }

        state.History[_output] = column;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(Workspace workspace, StepBuffers buffers, int order)
    {
        var state = workspace.State;
        var args = buffers.Arguments;
        Chain.Gather(state, _dofs, _currents, args);

        var formula = _bound.Formula;
        try
        {
            state.Dof[_output] = order == 0 ? formula.Evaluate(args)
                : order == 1 ? formula.Evaluate(args, buffers.Derivatives)
                : formula.Evaluate(args, buffers.Derivatives, buffers.SecondDerivatives);
        }
        catch (FormulaDomainException ex)
        {
            throw new CycleException(CycleFailure.Formula, $"skill '{Skill.Name}': formula '{formula.Text}': {ex.Message}", ex);
        }
    }
}
