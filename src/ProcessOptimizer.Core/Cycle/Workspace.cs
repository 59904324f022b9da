namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// Evaluation state over one <see cref="VariableState"/>: the gradients (and Hessians) of every variable
/// with respect to the decision variables, and each step's buffers. One per solve; not thread-safe.
/// </summary>
internal sealed class Workspace
{
    public Workspace(VariableState state, IReadOnlyList<IStep> steps, IReadOnlyList<int> decisions, int order)
    {
        State = state;
        Decisions = decisions;
        DecisionCount = decisions.Count;
        HessianLength = DecisionCount * (DecisionCount + 1) / 2;
        var variables = state.Dof.Length;
        Gradients = new double[variables * DecisionCount];
        Hessians = order >= 2 ? new double[variables * HessianLength] : [];
        Active = new bool[variables];
        for (var i = 0; i < DecisionCount; i++)
        {
            Active[decisions[i]] = true;
            Gradients[(decisions[i] * DecisionCount) + i] = 1;
        }

        // A step's outputs carry derivatives only if one of its inputs does; deciding it once keeps
        // untouched rows at zero without clearing them on every evaluation.
        foreach (var step in steps)
        {
            if (step.DofInputs.Any(v => Active[v]))
            {
                foreach (var output in step.Outputs)
                {
                    Active[output] = true;
                }
            }
        }

        Buffers = new StepBuffers[state.Strategy.StepCount];
        foreach (var step in steps)
        {
            Buffers[step.Id] ??= step.CreateBuffers(DecisionCount, order);
        }
    }

    public VariableState State { get; }

    public IReadOnlyList<int> Decisions { get; }

    public int DecisionCount { get; }

    public int HessianLength { get; }

    public double[] Gradients { get; }

    public double[] Hessians { get; }

    /// <summary>Whether a variable's gradient can be non-zero.</summary>
    public bool[] Active { get; }

    public StepBuffers[] Buffers { get; }

    public Span<double> Gradient(int variable) => Gradients.AsSpan(variable * DecisionCount, DecisionCount);

    public Span<double> Hessian(int variable) => Hessians.AsSpan(variable * HessianLength, HessianLength);
}
