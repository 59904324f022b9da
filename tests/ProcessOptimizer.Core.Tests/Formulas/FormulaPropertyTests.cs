using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Tests.Formulas;

public class FormulaPropertyTests
{
    private static readonly Gen<double[]> Point = Gen.ArrayOf(Gen.Choose(-20_000, 20_000).Select(i => i / 10_000.0), 3);

    [Property(MaxTest = 500)]
    public Property Parse_PrintedTree_RoundTrips() =>
        Prop.ForAll(Arb.From(FormulaGenerators.Any), node =>
        {
            var text = FormulaPrinter.Print(node);
            return FormulaParser.Parse(text).Equals(node).Label(text);
        });

    [Property(MaxTest = 300)]
    public Property Gradient_AgreesWithRichardsonDifferences() =>
        Prop.ForAll(Arb.From(FormulaGenerators.Smooth), Arb.From(Point), (node, point) =>
        {
            var formula = Compile(node);
            var gradient = new double[3];
            var value = formula.Evaluate(point, gradient);
            for (var i = 0; i < 3; i++)
            {
                var numeric = Richardson(x => formula.Evaluate(x), point, i);
                if (!Close(gradient[i], numeric, value) && !Close(gradient[i], Richardson(x => formula.Evaluate(x), point, i, FineStep), value))
                {
                    return false.Label($"{formula.Text} d/d{formula.Parameters[i]} at [{string.Join(", ", point)}]: exact {gradient[i]:R}, numeric {numeric:R}");
                }
            }

            return true.ToProperty();
        });

    [Fact]
    public void Gradient_FormulaThatTurnsFast_AgreesWithTheFinerDifferences()
    {
        // The case a random run found: sin(z**9) near z = 2 turns every 0.001, where the first step is too coarse.
        var formula = Compile(FormulaParser.Parse("sin((z**3)**3)"));
        double[] point = [0.5, -1.2, 1.9731];
        var gradient = new double[3];
        var value = formula.Evaluate(point, gradient);
        var index = formula.Parameters.ToList().IndexOf("z");

        Assert.False(Close(gradient[index], Richardson(x => formula.Evaluate(x), point, index), value));
        Assert.True(Close(gradient[index], Richardson(x => formula.Evaluate(x), point, index, FineStep), value));
    }

    [Property(MaxTest = 150)]
    public Property Hessian_AgreesWithDifferencesOfTheGradient() =>
        Prop.ForAll(Arb.From(FormulaGenerators.Smooth), Arb.From(Point), (node, point) =>
        {
            var formula = Compile(node);
            var gradient = new double[3];
            var hessian = new double[6];
            formula.Evaluate(point, gradient, hessian);
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j <= i; j++)
                {
                    var row = i;
                    double Row(double[] x)
                    {
                        var g = new double[3];
                        formula.Evaluate(x, g);
                        return g[row];
                    }

                    var numeric = Richardson(Row, point, j);
                    var exact = hessian[CompiledFormula.HessianIndex(i, j)];
                    if (!Close(exact, numeric, gradient[i]) && !Close(exact, Richardson(Row, point, j, FineStep), gradient[i]))
                    {
                        return false.Label($"{formula.Text} d2/d{i}d{j}: exact {exact:R}, numeric {numeric:R}");
                    }
                }
            }

            return true.ToProperty();
        });

    private static CompiledFormula Compile(FormulaNode node) =>
        FormulaCompiler.Compile(FormulaPrinter.Print(node), node, FormulaGenerators.SmoothSymbols, 3);

    // A formula that turns fast (sin(z**9) near z = 2 turns every 0.001) defeats the first step; the exact derivative
    // must then agree with differences ten times finer.
    private const double FineStep = 1e-4;

    // Central differences extrapolated twice: truncation error O(h^6), so the rounding error dominates.
    private static double Richardson(Func<double[], double> f, double[] point, int index, double h = 1e-3)
    {
        double Central(double h)
        {
            var x = (double[])point.Clone();
            x[index] = point[index] + h;
            var up = f(x);
            x[index] = point[index] - h;
            return (up - f(x)) / (2 * h);
        }

        var d1 = Central(h);
        var d2 = Central(h / 2);
        var d3 = Central(h / 4);
        var r1 = ((4 * d2) - d1) / 3;
        var r2 = ((4 * d3) - d2) / 3;
        return ((16 * r2) - r1) / 15;
    }

    private static bool Close(double exact, double numeric, double scale) =>
        Math.Abs(exact - numeric) <= 1e-6 * Math.Max(1, Math.Max(Math.Abs(exact), Math.Abs(scale)));
}
