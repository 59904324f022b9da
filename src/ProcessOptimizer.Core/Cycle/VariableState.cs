using Microsoft.Extensions.ObjectPool;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// The three values every variable holds during a cycle (current, dof, recommended), plus the history
/// columns that smoothing and row-wise formulas read. Owned by one cycle; not thread-safe.
/// </summary>
/// <remarks>
/// A cycle and its solves take their states from the compiled strategy's pool and give them back when nothing reads
/// them any more, so a warm cycle allocates none; two cycles never hold the same state at once.
/// </remarks>
public sealed class VariableState
{
    private VariableState(CompiledStrategy strategy, int rows)
    {
        Strategy = strategy;
        var count = strategy.Variables.Count;
        Current = new double[count];
        Dof = new double[count];
        Recommended = new double[count];
        InData = new bool[count];
        History = new double[count][];
        _ownColumns = new double[count][];
        RowCount = rows;
    }

    // Columns this state computes itself (a row-wise sum), kept for the next cycle that rents the state.
    private readonly double[]?[] _ownColumns;

    public CompiledStrategy Strategy { get; }

    public double[] Current { get; }

    public double[] Dof { get; }

    public double[] Recommended { get; }

    /// <summary>Whether the newest data row supplied the variable.</summary>
    public bool[] InData { get; }

    /// <summary>Per variable, its column over the input rows (NaN where missing), or null when absent.</summary>
    public double[]?[] History { get; }

    public int RowCount { get; private set; }

    /// <summary>
    /// A state of its own with the same values, for one solve or one evaluation: nothing written to it reaches
    /// this one. The history columns are shared; nothing writes them after the pre-calculation.
    /// </summary>
    internal VariableState Copy()
    {
        var copy = Rent(Strategy, RowCount);
        copy.CopyFrom(this);
        return copy;
    }

    /// <summary>The pool a compiled strategy keeps its states in.</summary>
    internal static ObjectPool<VariableState> Pool(CompiledStrategy strategy) => new DefaultObjectPool<VariableState>(new Policy(strategy));

    /// <summary>A state of <paramref name="rows"/> history rows with every value 0 and no history, from the strategy's pool.</summary>
    internal static VariableState Rent(CompiledStrategy strategy, int rows)
    {
        var state = strategy.States.Get();
        Array.Clear(state.Current);
        Array.Clear(state.Dof);
        Array.Clear(state.Recommended);
        Array.Clear(state.InData);
        Array.Clear(state.History);
        state.RowCount = rows;
        return state;
    }

    /// <summary>Gives the state back to its strategy's pool; whoever still reads it has a defect.</summary>
    internal void Return()
    {
        // The history columns are a window's or this state's own: none is kept alive by a state in the pool.
        Array.Clear(History);
        Strategy.States.Return(this);
    }

    /// <summary>A column of this state's own for <paramref name="variable"/>, <see cref="RowCount"/> long and all 0, to compute its history into.</summary>
    internal double[] OwnColumn(int variable)
    {
        var column = _ownColumns[variable];
        if (column is null || column.Length != RowCount)
        {
            return _ownColumns[variable] = new double[RowCount];
        }

        Array.Clear(column);
        return column;
    }

    /// <summary>Takes every value of <paramref name="source"/>, a state of the same strategy, as <see cref="Copy"/> gives them.</summary>
    internal void CopyFrom(VariableState source)
    {
        source.Current.CopyTo(Current, 0);
        source.Dof.CopyTo(Dof, 0);
        source.Recommended.CopyTo(Recommended, 0);
        source.InData.CopyTo(InData, 0);
        source.History.CopyTo(History, 0);
        RowCount = source.RowCount;
    }

    /// <summary>Sets current = dof = recommended.</summary>
    public void Set(int variable, double value) => Current[variable] = Dof[variable] = Recommended[variable] = value;

    /// <summary>
    /// Initialises from the newest row as the seed does. Variables not in the data start at 0, except
    /// Predicted ones, which start at their base variable's value.
    /// </summary>
    /// <exception cref="CycleException">A required tag is missing, null or not finite in the newest row.</exception>
    public static VariableState Initialize(CompiledStrategy strategy, CycleInput input)
    {
        var window = input.Window;
        var newest = window.Count - 1;
        if (newest < 0)
        {
            throw CycleInput.NoRows();
        }

        var state = Rent(strategy, window.Count);
        List<string>? bad = null;
        for (var v = 0; v < strategy.Variables.Count; v++)
        {
            var name = strategy.Variables[v].Name;
            var tag = window.TagIndex(name);
            if (tag >= 0 && window.Value(newest, tag) is { } number && double.IsFinite(number))
            {
                state.Set(v, number);
                state.InData[v] = true;
                // The window's own column: nothing writes a history column after it is set.
                state.History[v] = window.Column(tag);
            }
            else if (strategy.IsRequiredTag(v))
            {
                (bad ??= []).Add(tag >= 0 && window.Has(newest, tag) ? $"{name} (null or not finite)" : $"{name} (missing)");
            }
        }

        if (bad is not null)
        {
            throw new CycleException(CycleFailure.BadData, $"the newest data row lacks required tags: {string.Join(", ", bad)}");
        }

        for (var v = 0; v < strategy.Variables.Count; v++)
        {
            var variable = strategy.Variables[v];
            if (!state.InData[v] && variable.Type == VariableType.Predicted
                && variable.Name.StartsWith(Naming.PredictedPrefix, StringComparison.Ordinal)
                && strategy.IndexOf(variable.Name[Naming.PredictedPrefix.Length..]) is { } baseVariable)
            {
                state.Set(v, state.Current[baseVariable]);
            }
        }

        return state;
    }

    private sealed class Policy(CompiledStrategy strategy) : IPooledObjectPolicy<VariableState>
    {
        public VariableState Create() => new(strategy, 0);

        public bool Return(VariableState obj) => true;
    }
}
