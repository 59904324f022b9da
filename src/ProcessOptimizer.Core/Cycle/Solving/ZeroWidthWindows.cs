using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// Every move window has zero width, so there is nothing to optimize and no solve. The steps are evaluated at
/// the operating point for the predictions; a step that fails there (the seed's cost divided by a zero
/// threshold, say) leaves its outputs unavailable (NaN) and says so, instead of failing the whole result.
/// </summary>
internal static class ZeroWidthWindows
{
    public static OptimizationOutcome Hold(SolveContext context, IReadOnlyDictionary<string, string> derivatives)
    {
        var state = context.Base;
        using var workspace = context.Workspace(context.Steps, 0, state);
        foreach (var step in context.Steps)
        {
            try
            {
                step.Evaluate(workspace, workspace.Buffers[step.Id], 0);
            }
            catch (CycleException ex)
            {
                foreach (var output in step.Outputs)
                {
                    state.Dof[output] = double.NaN;
                }

                context.Warnings.Add($"skill '{context.Name}': every move window is zero, so nothing was solved; {ex.Message}; its outputs are unavailable");
            }
        }

        int[] outputs = [.. context.Steps.SelectMany(s => s.Outputs).Distinct()];
        double[] atCurrent = [.. outputs.Select(v => state.Dof[v])];
        var (violation, excess, worst) = PointEvaluator.Standing(context, state.Dof);
        var cost = state.Dof[context.Cost];
        var report = new SolverReport(context.Name, context.Solver.Name, "Not_Run_Zero_Width_Windows", 0, cost, violation, 0, 0, "none", derivatives, null);
        var meets = excess == 0;
        return new OptimizationOutcome(context.Decisions, context.Cost, outputs, atCurrent, cost, cost, meets ? SolveStatus.Succeeded : SolveStatus.Infeasible, report, worst, meets);
    }
}
