namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// A formula compiled once to delegates that give its value and exact derivatives with respect to its
/// first <see cref="DifferentiatedCount"/> parameters. Evaluation allocates nothing; the caller owns the
/// arrays. Instances are immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// Evaluation throws <see cref="FormulaDomainException"/> when the value is undefined (division by zero,
/// log of a non-positive number) or not finite. Derivatives are not checked: a caller that feeds them to a
/// solver decides what a non-finite derivative means.
/// </remarks>
public sealed class CompiledFormula
{
    private readonly Func<double[], double> _value;
    private readonly Func<double[], double[], double> _gradient;
    private readonly Lazy<Func<double[], double[], double[], double>> _hessian;

    internal CompiledFormula(
        string text,
        FormulaNode syntax,
        IReadOnlyList<string> parameters,
        int differentiatedCount,
        Func<double[], double> value,
        Func<double[], double[], double> gradient,
        Func<Func<double[], double[], double[], double>> hessian)
    {
        Text = text;
        Syntax = syntax;
        Parameters = parameters;
        DifferentiatedCount = differentiatedCount;
        _value = value;
        _gradient = gradient;
        _hessian = new Lazy<Func<double[], double[], double[], double>>(hessian);
    }

    /// <summary>Nodes of the value, gradient and Hessian trees together, as compiled.</summary>
    public long CompiledNodes { get; init; }

    /// <summary>Per differentiated parameter, whether its derivative can be non-zero (false: identically zero).</summary>
    internal bool[] GradientStructure { get; init; } = [];

    /// <summary>Per entry of the packed Hessian, whether it can be non-zero (false: identically zero).</summary>
    internal bool[] HessianStructure { get; init; } = [];

    /// <summary>The formula as written.</summary>
    public string Text { get; }

    /// <summary>The tree the delegates were compiled from, after symbols were bound.</summary>
    public FormulaNode Syntax { get; }

    /// <summary>Names of the argument slots, in order.</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>The argument slot of the parameter <paramref name="name"/>.</summary>
    public int ParameterIndex(string name)
    {
        for (var i = 0; i < Parameters.Count; i++)
        {
            if (Parameters[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"unknown parameter {name}", nameof(name));
    }

    /// <summary>How many leading parameters have derivatives.</summary>
    public int DifferentiatedCount { get; }

    /// <summary>Length of the packed lower-triangular Hessian.</summary>
    public int HessianLength => DifferentiatedCount * (DifferentiatedCount + 1) / 2;

    /// <summary>Index of d²f/dxᵢdxⱼ in the packed Hessian.</summary>
    public static int HessianIndex(int i, int j) => i >= j ? (i * (i + 1) / 2) + j : (j * (j + 1) / 2) + i;

    /// <summary>The value at <paramref name="arguments"/>.</summary>
    public double Evaluate(double[] arguments) => Finite(_value(arguments));

    /// <summary>The value, with df/dxᵢ written to <paramref name="gradient"/>.</summary>
    public double Evaluate(double[] arguments, double[] gradient) => Finite(_gradient(arguments, gradient));

    /// <summary>The value, gradient and packed lower-triangular Hessian (compiled on first use).</summary>
    public double Evaluate(double[] arguments, double[] gradient, double[] hessian) =>
        Finite(_hessian.Value(arguments, gradient, hessian));

    private static double Finite(double value) => double.IsFinite(value)
        ? value
        : throw new FormulaDomainException(double.IsNaN(value) ? "result is NaN" : "result is infinite", -1);
}
