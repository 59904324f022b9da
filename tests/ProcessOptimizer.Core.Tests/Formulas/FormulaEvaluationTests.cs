using ProcessOptimizer.Core.Formulas;
using static ProcessOptimizer.Core.Tests.Formulas.FormulaTestKit;

namespace ProcessOptimizer.Core.Tests.Formulas;

public class FormulaEvaluationTests
{
    [Theory]
    [InlineData("a / b", "division by zero", 2)]
    [InlineData("a // b", "floor division by zero", 2)]
    [InlineData("a % b", "modulo by zero", 2)]
    [InlineData("a + log(b)", "log of non-positive number 0", 4)]
    [InlineData("log10(b - a)", "log10 of non-positive number -1", 0)]
    [InlineData("sqrt(b - a)", "sqrt of negative number -1", 0)]
    [InlineData("a * b ** -1", "zero raised to a negative power", 6)]
    [InlineData("(b - a) ** 0.5", "negative number -1 raised to fractional power 0.5", 8)]
    public void Evaluate_OutsideDomain_ThrowsWithPosition(string text, string problem, int position)
    {
        var formula = Compile(text);
        var error = Assert.Throws<FormulaDomainException>(() => formula.Evaluate([1.0, 0.0]));
        Assert.Equal(problem, error.Problem);
        Assert.Equal(position, error.Position);
    }

    [Fact]
    public void Evaluate_Overflow_IsAnErrorNotInfinity()
    {
        var error = Assert.Throws<FormulaDomainException>(() => Eval("exp(a)", 1000));
        Assert.Equal("result is infinite", error.Problem);
    }

    [Fact]
    public void Evaluate_InactiveBranch_IsNotEvaluated()
    {
        Assert.Equal(0, Eval("a / b if b != 0 else 0", 1, 0));
        Assert.Equal(0, Eval("b and a / b", 1, 0));
        Assert.Equal(2, Eval("a / b if b != 0 else 0", 1, 0.5));
    }

    [Fact]
    public void Evaluate_Gradient_TakesActiveBranchOfMaxAndAbs()
    {
        // f = max(0, a) * abs(b): at a = 2, b = -3, df/da = |b| = 3 and df/db = -a = -2.
        var formula = Compile("max(0, a) * abs(b)");
        var gradient = new double[2];
        var value = formula.Evaluate([2.0, -3.0], gradient);
        Assert.Equal(6, value);
        Assert.Equal([3.0, -2.0], gradient);

        formula.Evaluate([-2.0, -3.0], gradient);
        Assert.Equal([0.0, 0.0], gradient);
    }

    [Fact]
    public void Evaluate_Hessian_MatchesHandDerivation()
    {
        // f = a²b + sin(b): f_aa = 2b, f_ab = 2a, f_bb = -sin(b).
        var formula = Compile("a**2 * b + sin(b)");
        var gradient = new double[2];
        var hessian = new double[3];
        formula.Evaluate([3.0, 0.5], gradient, hessian);
        Assert.Equal(2 * 0.5, hessian[CompiledFormula.HessianIndex(0, 0)], 12);
        Assert.Equal(2 * 3.0, hessian[CompiledFormula.HessianIndex(1, 0)], 12);
        Assert.Equal(-Math.Sin(0.5), hessian[CompiledFormula.HessianIndex(1, 1)], 12);
        Assert.Equal([2 * 3.0 * 0.5, 9 + Math.Cos(0.5)], gradient);
    }

    [Fact]
    public void Evaluate_MaxTie_TakesFirstArgumentLikePython()
    {
        var formula = Compile("max(a, b)");
        var gradient = new double[2];
        formula.Evaluate([1.0, 1.0], gradient);
        Assert.Equal([1.0, 0.0], gradient);
    }
}
