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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Of_RowsSharingTagStringsOrNotInAnyOrder_SameWindowAsLookingEachTagUpByName(int seed)
    {
        // Of numbers a tag by the string met at the same place in the row before; rows here share the strings or
        // carry copies of them, keep the previous row's order or shuffle it, drop tags and bring new ones.
        var random = new Random(seed);
        string[] names = ["a", "b", "\u00e9", "e\u0301", "\ud83d\udd25", "", "B", "long name of a tag"];
        var rows = new ProcessRow[300];
        var order = names.ToList();
        for (var r = 0; r < rows.Length; r++)
        {
            if (random.Next(3) == 0)
            {
                order = [.. names.OrderBy(_ => random.Next()).Where(_ => random.Next(5) > 0)];
            }

            var values = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var name in order)
            {
                values[random.Next(4) == 0 ? new string(name.AsSpan()) : name] = random.Next(6) == 0 ? null : random.NextDouble();
            }

            rows[r] = new ProcessRow(random.Next(5) == 0 ? null : Start.AddMinutes(r), values);
        }

        var window = ProcessWindow.Of(rows);

        var tags = rows.SelectMany(row => row.Values.Keys).Distinct(StringComparer.Ordinal).ToList();
        Assert.Equal(tags, window.Tags);
        for (var r = 0; r < rows.Length; r++)
        {
            Assert.Equal(rows[r].Timestamp, window.Timestamp(r));
            for (var t = 0; t < tags.Count; t++)
            {
                var has = rows[r].Values.TryGetValue(tags[t], out var value);
                Assert.Equal(has ? value is null ? CellKind.Null : CellKind.Value : CellKind.Absent, window.Kinds(t)[r]);
                Assert.Equal(BitConverter.DoubleToInt64Bits(value ?? double.NaN), BitConverter.DoubleToInt64Bits(window.Column(t)[r]));
            }
        }
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

    [Fact]
    public void Snapshot_RentedWindowReusedAfterwards_KeepsTheRowsAsTheyWereAndGoesBackNowhere()
    {
        // Issue 15: a worker's warm-up keeps the last window sent, which a data source rents out again and rewrites.
        var returned = new List<ProcessWindow>();
        var rented = new ProcessWindow(["a", "b"], 2, returned.Add);
        rented.SetTime(0, Start);
        rented.SetTime(1, Start.AddMinutes(1));
        rented.Set(0, 0, 1.5);
        rented.Set(1, 0, null);
        rented.Set(0, 1, 2.5);
        rented.SetAbsent(1, 1);
        rented.Rent();

        var copy = ProcessWindow.Snapshot(rented);
        rented.Dispose();
        // Rented again for a window as long: the same arrays, rewritten in place.
        rented.Resize(2);
        rented.Set(0, 0, 99);
        rented.SetTime(1, null);
        rented.Set(1, 1, 7);

        Assert.Equal(2, copy.Count);
        Assert.Equal(["a", "b"], copy.Tags);
        Assert.Equal(Start.AddMinutes(1), copy.Timestamp(1));
        Assert.Equal(1.5, copy.Value(0, 0));
        Assert.Null(copy.Value(1, 0));
        Assert.True(copy.Has(1, 0));
        Assert.False(copy.Has(1, 1));
        copy.Dispose();
        Assert.Same(rented, Assert.Single(returned));
    }
}
