using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Core.Tests.Cycle;

public sealed class ProcessWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_RowsWithValuesNullsNaNAndAbsentTags_GivesTheSameRowsBackAndNaNColumns()
    {
        // Issue 19: a cycle reads windows by column; the rows made from a window must be the rows it was made from,
        // telling a null from an absent tag and from a NaN value, since the cycle's messages tell them apart.
        ProcessRow[] rows =
        [
            new(Start, new Dictionary<string, double?> { ["a"] = 1, ["b"] = null }),
            new(Start.AddMinutes(1), new Dictionary<string, double?> { ["a"] = double.NaN, ["c"] = 3 }),
            new(null, new Dictionary<string, double?> { ["b"] = 2.5 }),
        ];

        var window = ProcessWindow.Of(rows);

        Assert.Equal(["a", "b", "c"], window.Tags);
        Assert.Equal(3, window.Count);
        for (var r = 0; r < rows.Length; r++)
        {
            Assert.Equal(rows[r].Timestamp, window[r].Timestamp);
            Assert.Equal(rows[r].Values.OrderBy(p => p.Key), window[r].Values.OrderBy(p => p.Key));
        }

        Assert.Equal([1.0, double.NaN, double.NaN], window.Column(window.TagIndex("a")));
        Assert.Null(window.Value(0, window.TagIndex("b")));
        Assert.True(window.Has(0, window.TagIndex("b")));
        Assert.False(window.Has(0, window.TagIndex("c")));
        Assert.Equal(-1, window.TagIndex("d"));
        Assert.Same(window, ProcessWindow.Of(window));
    }

    [Fact]
    public void Dispose_RentedWindow_GoesBackOnceAndAWindowOfItsOwnNever()
    {
        var returned = new List<ProcessWindow>();
        var pooled = new ProcessWindow(["a"], 2, returned.Add);
        pooled.Rent();

        pooled.Dispose();
        pooled.Dispose();
        new ProcessWindow(["a"], 2).Dispose();

        Assert.Same(pooled, Assert.Single(returned));
    }
}
