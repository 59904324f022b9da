using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// A compute skill (MathFunction or InferenceModel) compiled against the strategy's variable indices.
/// Steps are immutable and shared; what changes per evaluation lives in the <see cref="Workspace"/>.
/// </summary>
internal interface IStep
{
    /// <summary>Dense index of the step, for its buffers in a workspace.</summary>
    int Id { get; }

    Skill Skill { get; }

    /// <summary>Variables whose dof values the step reads.</summary>
    IReadOnlyList<int> DofInputs { get; }

    /// <summary>Variables the step writes.</summary>
    IReadOnlyList<int> Outputs { get; }

    /// <summary>Which local derivatives of the outputs can be non-zero, for the chain rule in a <see cref="Workspace"/>.</summary>
    LocalDerivatives Derivatives { get; }

    StepBuffers CreateBuffers(int order);

    /// <summary>Once per cycle, before any evaluation: values that do not depend on the decision variables.</summary>
    void Prepare(VariableState state, StepBuffers buffers, ICollection<string> warnings);

    /// <summary>
    /// Writes the outputs' dof values, and for <paramref name="order"/> ≥ 1 the local derivatives of
    /// <see cref="Derivatives"/> into the buffers (≥ 2: second derivatives too); the workspace applies the chain rule.
    /// </summary>
    void Evaluate(Workspace workspace, StepBuffers buffers, int order);
}
