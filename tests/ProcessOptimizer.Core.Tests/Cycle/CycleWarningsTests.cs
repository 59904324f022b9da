using System.Globalization;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Cycle.Solving;

namespace ProcessOptimizer.Core.Tests.Cycle;

/// <summary>
/// Issue 19: the kink pieces' warning is kept as its numbers and written out when read. The texts a result holds are
/// the ones the search wrote out before, in the same order, with repeats taken out as before.
/// </summary>
public class CycleWarningsTests
{
    [Fact]
    public void Text_BestCostFound_TheSearchsTextToSixDigits()
    {
        var warning = new PiecesWarning("optimize", 3, 5, 1234.56789, CultureInfo.InvariantCulture);

        Assert.Equal("skill 'optimize': 8 combinations of 3 max/min/abs kinks, 3 solved and 5 ruled out by their cost bound; the best costs 1234.57", warning.Text());
    }

    [Fact]
    public void Text_NoFeasiblePiece_SaysNone()
    {
        var warning = new PiecesWarning("optimize", 2, 0, null, CultureInfo.InvariantCulture);

        Assert.Equal("skill 'optimize': 4 combinations of 2 max/min/abs kinks, 4 solved and 0 ruled out by their cost bound; none ended at a feasible point", warning.Text());
    }

    [Fact]
    public void Text_CultureOfTheCycle_WritesItsDecimalSeparator()
    {
        // The tests run without culture data (invariant globalization), so the cycle's culture is one made here.
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        var warning = new PiecesWarning("optimize", 1, 0, 0.5, culture);

        Assert.EndsWith("the best costs 0,5", warning.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToResult_TextsAndPieces_InOrderWithRepeatsOut()
    {
        var warnings = new CycleWarnings();
        warnings.Add("first");
        warnings.Add(new PiecesWarning("optimize", 2, 1, 10, CultureInfo.InvariantCulture));
        warnings.Add("first");
        // Another cost with the same six digits writes out the same text: a repeat, as the texts were before.
        warnings.Add(new PiecesWarning("optimize", 2, 1, 10.0000001, CultureInfo.InvariantCulture));
        warnings.Add(new PiecesWarning("optimize", 2, 1, 11, CultureInfo.InvariantCulture));
        warnings.Add("last");

        var result = warnings.ToResult();

        Assert.Equal(
            [
                "first",
                "skill 'optimize': 4 combinations of 2 max/min/abs kinks, 3 solved and 1 ruled out by their cost bound; the best costs 10",
                "skill 'optimize': 4 combinations of 2 max/min/abs kinks, 3 solved and 1 ruled out by their cost bound; the best costs 11",
                "last",
            ],
            result);
        Assert.Equal(4, result.Count);
        Assert.Equal("last", result[3]);
    }

    [Fact]
    public void ToResult_TextsOnly_AnArrayOfTheirExactSize()
    {
        var warnings = new CycleWarnings();
        warnings.Add("a");
        warnings.Add("b");
        warnings.Add("a");

        var result = warnings.ToResult();

        var texts = Assert.IsType<string[]>(result);
        Assert.Equal(["a", "b"], texts);
    }

    [Fact]
    public void ToResult_ThenTheScratchClearedAndRefilled_KeptResultUnchanged()
    {
        var warnings = new CycleWarnings();
        warnings.Add(new PiecesWarning("optimize", 1, 0, 2.5, CultureInfo.InvariantCulture));
        var kept = warnings.ToResult();
        var before = kept.ToList();

        warnings.Clear();
        warnings.Add("another cycle");
        warnings.Add(new PiecesWarning("optimize", 1, 1, 7, CultureInfo.InvariantCulture));

        Assert.Equal(before, kept);
    }

    [Fact]
    public void AsCollection_ContainsAndCopyTo_ReadTheTexts()
    {
        var warnings = new CycleWarnings();
        ICollection<string> texts = warnings;
        texts.Add("plain");
        warnings.Add(new PiecesWarning("s", 1, 0, null, CultureInfo.InvariantCulture));
        var copy = new string[2];

        texts.CopyTo(copy, 0);

        Assert.Contains("skill 's': 2 combinations of 1 max/min/abs kinks, 2 solved and 0 ruled out by their cost bound; none ended at a feasible point", texts);
        Assert.Equal(copy, texts);
    }
}
