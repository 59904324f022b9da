using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessOptimizer.Core.Formulas;
using Interval = ProcessOptimizer.Core.Formulas.Interval;

namespace ProcessOptimizer.Core.Tests.Formulas;

public class IntervalEvaluatorTests
{
    private static readonly string[] Symbols = ["x", "y_dof", "z_current", "w"];

    [Property(MaxTest = 400)]
    public Property Evaluate_AnyFormula_ContainsEveryValueInTheBox() =>
        Prop.ForAll(Arb.From(FormulaGenerators.Any), Arb.From(Gen.Choose(0, 1_000_000)), (formula, seed) =>
        {
            var random = new Random(seed);
            var box = Symbols.ToDictionary(s => s, _ => RandomRange(random));
            var bound = IntervalEvaluator.Evaluate(formula, s => box[s]);
            for (var sample = 0; sample < 20; sample++)
            {
                var point = box.ToDictionary(p => p.Key, p => Inside(p.Value, random.NextDouble()));
                var value = FormulaInterpreter.Evaluate(formula, s => point[s]);
                if (!double.IsFinite(value))
                {
                    continue;
                }

                var slack = 1e-9 * Math.Max(1, Math.Abs(value));
                if (value < bound.Low - slack || value > bound.High + slack)
                {
                    return false.Label($"{FormulaPrinter.Print(formula)} = {value:R} at {string.Join(", ", point.Select(p => $"{p.Key}={p.Value:R}"))}, outside [{bound.Low:R}, {bound.High:R}]");
                }
            }

            return true.ToProperty();
        });

    [Theory]
    // The seed's intervention penalty on the piece where feed rises and coal falls, and on one where coal rises.
    [InlineData("100 * max(0, f / 2) * max(0, -(c / 0.05))", -2, 2, -0.05, 0, 0, 100)]
    [InlineData("100 * max(0, f / 2) * max(0, -(c / 0.05))", -2, 2, 0, 0.05, 0, 0)]
    [InlineData("c / 0.05 - f / 2", 0, 2, -0.05, 0, -2, 0)]
    [InlineData("abs(f) + c ** 2", -1, 3, -2, 1, 0, 7)]
    public void Evaluate_KnownRanges_AreTight(string text, double fLow, double fHigh, double cLow, double cHigh, double low, double high)
    {
        var ranges = new Dictionary<string, Interval> { ["f"] = new(fLow, fHigh), ["c"] = new(cLow, cHigh) };

        var bound = IntervalEvaluator.Evaluate(FormulaParser.Parse(text), s => ranges[s]);

        Assert.Equal(low, bound.Low, 12);
        Assert.Equal(high, bound.High, 12);
    }

    [Fact]
    public void Evaluate_DivisionByARangeAroundZero_IsUnbounded()
    {
        var bound = IntervalEvaluator.Evaluate(FormulaParser.Parse("1 / x"), _ => new Interval(-1, 1));

        Assert.Equal(Interval.Whole, bound);
    }

    private static Interval RandomRange(Random random)
    {
        double Pick() => random.Next(4) switch
        {
            0 => 0,
            1 => Math.Round((random.NextDouble() - 0.5) * 20, 1),
            _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)),
        };
        var (a, b) = (Pick(), Pick());
        return new Interval(Math.Min(a, b), Math.Max(a, b));
    }

    private static double Inside(Interval range, double t) => t < 0.1 ? range.Low : t > 0.9 ? range.High : range.Low + ((t - 0.1) / 0.8 * (range.High - range.Low));
}
