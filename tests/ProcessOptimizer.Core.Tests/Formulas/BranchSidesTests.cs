using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Tests.Formulas;

/// <summary>
/// Issue 19: a compiled step finds its kept fixed formula from the sides <see cref="BranchSides"/> computes, so those
/// sides must be the ones <see cref="BranchFixer.Fix"/> takes, or a cycle would solve another piece than it means to.
/// </summary>
public class BranchSidesTests
{
    private static readonly string[] Names = ["x", "y_dof", "z_current", "w"];

    // Small whole values make ties (max(a, a), a margin of 0) common, where the sides are easiest to get wrong.
    private static readonly Gen<double[]> Point = Gen.ArrayOf(
        Gen.OneOf(Gen.Choose(-2, 2).Select(i => (double)i), Gen.Choose(-20_000, 20_000).Select(i => i / 997.0)), Names.Length);

    private static readonly Gen<bool[]> Varying = Gen.ArrayOf(Gen.Elements(true, false), Names.Length);

    // 0: the sides active at the point; 1: every side from a mask, as the pieces are enumerated; 2: one kink flipped.
    private static readonly Gen<(int Kind, int Mask, int Offset)> Forcing =
        from kind in Gen.Choose(0, 2)
        from mask in Gen.Choose(0, 255)
        from offset in Gen.Choose(0, 3)
        select (kind, mask, offset);

    private static readonly Gen<(double[] Point, bool[] Varying, (int Kind, int Mask, int Offset) Forcing)> Case =
        from point in Point
        from varying in Varying
        from forcing in Forcing
        select (point, varying, forcing);

    [Property(MaxTest = 2000)]
    public Property Of_RandomFormulaPointAndForcing_TakesTheSidesBranchFixerTakes() =>
        Prop.ForAll(Arb.From(FormulaGenerators.Any), Arb.From(Case), (node, c) =>
        {
            var (point, varying, forcing) = c;
            var values = Names.Select((n, i) => (n, v: point[i])).ToDictionary(p => p.n, p => p.v);
            var varies = Names.Select((n, i) => (n, v: varying[i])).ToDictionary(p => p.n, p => p.v);
            Func<int, bool, bool>? forced = forcing.Kind switch
            {
                0 => null,
                1 => (k, _) => ((forcing.Mask >> (k % 8)) & 1) == 1,
                _ => (k, active) => k == forcing.Mask % 4 ? !active : active,
            };

            var choices = new List<bool>();
            BranchFixer.Fix(node, n => values[n], n => varies[n], forced is null ? null : (k, active) => forced(forcing.Offset + k, active), choices);
            Span<char> sides = stackalloc char[256];
            var count = BranchSides.Of(node, static (n, s) => s.Values[n], static (n, s) => s.Varies[n], (Values: values, Varies: varies), forced, forcing.Offset, sides);

            var expected = string.Concat(choices.Select(c => c ? '1' : '0'));
            var actual = count < 0 ? "(overflow)" : sides[..count].ToString();
            return (expected == actual).Label($"{FormulaPrinter.Print(node)}: fixer {expected}, walk {actual}");
        });

    [Theory]
    [InlineData("max(x, y_dof)", "1")]
    [InlineData("min(x, y_dof, 5) + abs(x - 3)", "000")]
    [InlineData("clip(y_dof, x, 5)", "00")]
    [InlineData("(x if y_dof > 2 else 4) + max(w, 1)", "10")]
    public void Of_KnownFormula_SidesAtThePoint(string text, string expected)
    {
        var values = new Dictionary<string, double> { ["x"] = 2, ["y_dof"] = 3, ["z_current"] = 0, ["w"] = 7 };
        var node = FormulaParser.Parse(text);
        Span<char> sides = stackalloc char[16];

        var count = BranchSides.Of(node, static (n, s) => s[n], static (n, _) => n != "w", values, null, 0, sides);

        Assert.Equal(expected, sides[..count].ToString());
    }

    [Fact]
    public void Of_MoreKinksThanRoom_ReportsOverflow()
    {
        var node = FormulaParser.Parse("max(x, 1) + max(x, 2) + max(x, 3)");
        Span<char> sides = stackalloc char[2];

        Assert.Equal(-1, BranchSides.Of(node, static (_, _) => 0.0, static (_, _) => true, 0, null, 0, sides));
    }
}
