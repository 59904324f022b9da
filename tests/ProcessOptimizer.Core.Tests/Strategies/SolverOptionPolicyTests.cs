using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Tests.Strategies;

/// <summary>Issue 13: a strategy may set only algorithmic solver options; file, print and documentation options are refused at load with their line.</summary>
public class SolverOptionPolicyTests
{
    private const string Strategy = """
        variables:
          x: {type: Operative, threshold: 1, max_hard_limit: 10}
          cost: {type: CalculatedKPI}
        skills:
          mf_cost:
            class: MathFunction
            inputs: [x]
            outputs: [cost]
            config: {formula: (x - 3) ** 2}
          optimizer:
            class: OptimizationSkill
            inputs: [x]
            config:
              cost_skill_name: mf_cost
              cost_feature_name: cost
              solver_options:
                OPTION
        tasks:
          - {name: CalculateRecommendations, skill_sequence: [optimizer]}
        """;

    // Line of OPTION above, one-based.
    private const int OptionLine = 17;

    [Theory]
    [InlineData("output_file: /tmp/x", "'output_file' is not allowed: it reads or writes files or prints")]
    [InlineData("option_file_name: /etc/passwd", "'option_file_name' is not allowed: it reads or writes files or prints")]
    [InlineData("print_level: 12", "'print_level' is not allowed: it reads or writes files or prints")]
    [InlineData("file_print_level: 5", "'file_print_level' is not allowed")]
    [InlineData("print_user_options: 'yes'", "'print_user_options' is not allowed")]
    [InlineData("print_options_documentation: 'yes'", "'print_options_documentation' is not allowed")]
    [InlineData("derivative_test: first-order", "the derivative checker is the command line's --check-derivatives")]
    [InlineData("max_iter: 100000000", "'max_iter' must be a number from 0 to 3000")]
    [InlineData("max_iter: '50'", "'max_iter' must be a number from 0 to 3000")]
    [InlineData("max_cpu_time: 1e6", "'max_cpu_time' must be a number from 0 to 600")]
    [InlineData("linear_solver: ma57", "'linear_solver' may only be 'mumps'")]
    [InlineData("mu_stratgy: adaptive", "'mu_stratgy' is not allowed: it is not one of the algorithmic options")]
    public void Read_RefusedSolverOption_IsAnErrorOnItsLine(string option, string message)
    {
        var checkedBySolver = new List<string>();
        var (strategy, problems) = StrategyLoader.Read(Strategy.Replace("OPTION", option, StringComparison.Ordinal), (name, _) =>
        {
            checkedBySolver.Add(name);
            return null;
        });

        Assert.Null(strategy);
        var problem = Assert.Single(problems, p => !p.IsWarning);
        Assert.Contains(message, problem.Message);
        Assert.Contains("skill 'optimizer': solver_options:", problem.Message);
        Assert.Equal(OptionLine, problem.Location?.Line);
        // A refused option never reaches the solver, not even to be validated.
        Assert.Empty(checkedBySolver);
    }

    [Theory]
    [InlineData("mu_strategy: adaptive")]
    [InlineData("max_iter: 3000")]
    [InlineData("max_cpu_time: 5")]
    [InlineData("tol: 1e-300")]
    [InlineData("linear_solver: mumps")]
    [InlineData("hessian_approximation: limited-memory")]
    public void Read_AlgorithmicSolverOption_IsAcceptedAndCheckedBySolver(string option)
    {
        var checkedBySolver = new List<string>();
        var (strategy, problems) = StrategyLoader.Read(Strategy.Replace("OPTION", option, StringComparison.Ordinal), (name, _) =>
        {
            checkedBySolver.Add(name);
            return null;
        });

        Assert.NotNull(strategy);
        Assert.Empty(problems);
        Assert.Equal(option.Split(':')[0], Assert.Single(checkedBySolver));
    }
}
