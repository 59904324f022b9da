using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>
/// What storing a run must keep whatever way a dialect writes it (issue 19: statements bound by position on SQLite,
/// one statement a run on PostgreSQL): every value read back as written, and a group stored whole or not at all.
/// </summary>
public abstract class RunStoreTests(DatabaseKind kind) : MigratedDatabase(kind)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Save_EdgeAndRandomDoubles_AreReadBackBitForBit()
    {
        var values = EdgeDoubles().Concat(RandomDoubles(1500)).ToArray();
        var run = Run(Start, 0) with
        {
            Recommendations = [.. Enumerable.Range(0, values.Length / 3).Select(i => new Recommendation($"v{i:D4}", values[3 * i], values[(3 * i) + 1], values[(3 * i) + 2], "u"))],
        };
        var store = new SqlRunStore(Database);

        var stored = await store.GetAsync((await store.SaveAsync(run, CancellationToken.None)).Id, CancellationToken.None);

        // SQLite writes a real with no fraction as an integer in a REAL column, so -0.0 comes back as 0.0 (equal, its
        // sign lost), as it always did; every other value, on both databases, keeps every bit.
        var expected = run.Recommendations.SelectMany(r => new[] { r.Current, r.Recommended, r.Delta })
            .Select(v => Kind == DatabaseKind.Sqlite && v == 0 ? 0.0 : v).Select(BitConverter.DoubleToInt64Bits);
        var read = stored!.Recommendations.SelectMany(r => new[] { r.Current, r.Recommended, r.Delta }).Select(BitConverter.DoubleToInt64Bits);
        Assert.Equal(expected, read);
    }

    [Fact]
    public async Task Save_CostNotFiniteAndAnInfiniteRecommendation_StoresNoCostAndTheInfinity()
    {
        var store = new SqlRunStore(Database);
        var run = Run(Start, 0) with { Cost = double.PositiveInfinity, Recommendations = [new Recommendation("x", double.NegativeInfinity, double.PositiveInfinity, double.PositiveInfinity, "u")] };

        var stored = await store.GetAsync((await store.SaveAsync(run, CancellationToken.None)).Id, CancellationToken.None);

        Assert.Null(stored!.Cost);
        Assert.Equal(run.Recommendations, stored.Recommendations);
    }

    // SQLite would store a NaN as NULL, which the column refuses: the driver refused it first, and so it stays.
    // PostgreSQL stores it.
    [Fact]
    public async Task Save_NotANumberRecommendation_IsRefusedOnSqliteAndStoredOnPostgres()
    {
        var store = new SqlRunStore(Database);
        var run = Run(Start, 2) with { Recommendations = [new Recommendation("a", 1, 2, 1, "u"), new Recommendation("b", 1, double.NaN, double.NaN, "u")] };

        var failure = await Record.ExceptionAsync(() => store.SaveAsync(run, CancellationToken.None));

        if (Kind == DatabaseKind.Sqlite)
        {
            var refused = Assert.IsType<DatabaseException>(failure);
            Assert.False(refused.IsTransient, refused.Message);
            Assert.Contains("NaN", refused.Message, StringComparison.Ordinal);
            Assert.Null(await store.LatestAsync(null, CancellationToken.None));
        }
        else
        {
            Assert.Null(failure);
            var stored = (await store.LatestAsync(null, CancellationToken.None))!.Recommendations;
            Assert.True(double.IsNaN(stored[1].Recommended) && double.IsNaN(stored[1].Delta) && stored[0].Recommended == 2);
        }
    }

    [Fact]
    public async Task Save_LongAndOddUnicodeTextEverywhere_IsReadBackAsWritten()
    {
        string[] odd = ["", "t/h", "°C", "🔥 kiln température\u0301", "مُعدّل التغذية", "👩‍🔬", "'; DROP TABLE optimization_runs; --", "back\\slash\ttab\nline\r\n",
            "\uFFFF\u2028\u00A0", "窯" + new string('é', 20_000), new string('x', 100_000), "@name ?1 $1 :v"];
        var store = new SqlRunStore(Database);
        var run = Run(Start, 0).Saying([.. odd.Skip(1)]) with
        {
            StrategyName = "窯/🔥 api",
            StrategyVersion = odd[7],
            ModelVersions = new Dictionary<string, string> { [odd[3]] = odd[4], ["models/m.onnx"] = odd[10] },
            SolverStatus = odd[5],
            Key = "key " + odd[3],
            Node = odd[6],
            Recommendations = [.. odd.Skip(1).Select((name, i) => new Recommendation(name, i, i + 0.5, 0.5, odd[(i + 3) % odd.Length]))],
        };

        var stored = await store.GetAsync((await store.SaveAsync(run, CancellationToken.None)).Id, CancellationToken.None);

        Assert.Equal(
            (run.StrategyName, run.StrategyVersion, run.SolverStatus, run.Key, run.Node, run.Message),
            (stored!.StrategyName, stored.StrategyVersion, stored.SolverStatus, stored.Key, stored.Node, stored.Message));
        Assert.Equal(run.MessageItems, stored.MessageItems);
        Assert.Equal(run.ModelVersions.OrderBy(p => p.Key, StringComparer.Ordinal), stored.ModelVersions.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(run.Recommendations.OrderBy(r => r.Variable, StringComparer.Ordinal), stored.Recommendations.OrderBy(r => r.Variable, StringComparer.Ordinal));
        Assert.Equal(new RunSave(stored.Id, true), await store.SaveAsync(Run(Start, 1) with { Key = run.Key }, CancellationToken.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(500)]
    public async Task Save_NoneOrManyRecommendations_StoresExactlyThose(int count)
    {
        var store = new SqlRunStore(Database);
        var run = Run(Start, count);

        var stored = await store.GetAsync((await store.SaveAsync(run, CancellationToken.None)).Id, CancellationToken.None);

        Assert.Equal(run.Recommendations, stored!.Recommendations);
        Assert.Equal((run.Iterations, run.Cost, run.DurationMs, run.StartedAt, run.FinishedAt, run.DataTimestamp), (stored.Iterations, stored.Cost, stored.DurationMs, stored.StartedAt, stored.FinishedAt, stored.DataTimestamp));
    }

    [Fact]
    public async Task SaveAll_KeysRepeatedInTheGroupBySlotAndByData_AreDuplicatesOfTheFirst()
    {
        var store = new SqlRunStore(Database);

        var saves = await store.SaveAllAsync(
        [
            Run(Start, 2) with { Key = "k1", DataKey = "d1" },
            Run(Start.AddMinutes(1), 3) with { Key = "k2", DataKey = "d1" },
            Run(Start.AddMinutes(2), 4) with { Key = "k1", DataKey = "d3" },
            Run(Start.AddMinutes(3), 5) with { Key = null, DataKey = null },
            Run(Start.AddMinutes(4), 6) with { Key = null, DataKey = null },
        ], CancellationToken.None);

        Assert.Equal([false, true, true, false, false], saves.Select(s => s.Duplicate));
        Assert.Equal([saves[0].Id, saves[0].Id], [saves[1].Id, saves[2].Id]);
        var counts = await Task.WhenAll(new[] { saves[0], saves[3], saves[4] }.Select(async s => (await store.GetAsync(s.Id, CancellationToken.None))!.Recommendations.Count));
        Assert.Equal([2, 5, 6], counts);
        Assert.Equal(3, (await store.RangeAsync(Start.AddDays(-1), Start.AddDays(1), 100, null, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task SaveAll_FailureMidGroup_StoresNothingOfTheGroupAndTheSameRunsAreStoredAfter()
    {
        var store = new SqlRunStore(Database);
        var first = Run(Start, 3) with { Key = "first" };
        var bad = Run(Start.AddMinutes(1), 0) with { Key = "bad", Recommendations = [new Recommendation("z", 1, 2, 1, "u"), new Recommendation("z", 1, 2, 1, "u")] };
        var last = Run(Start.AddMinutes(2), 2) with { Key = "last" };

        var refused = await Assert.ThrowsAsync<DatabaseException>(() => store.SaveAllAsync([first, bad, last], CancellationToken.None));
        var fresh = new SqlRunStore(Reopen());
        var before = await fresh.RangeAsync(Start.AddDays(-1), Start.AddDays(1), 100, null, CancellationToken.None);
        var saves = await store.SaveAllAsync([first, last], CancellationToken.None);

        Assert.True(refused.RefusesTheData, refused.Message);
        Assert.Empty(before);
        Assert.Equal([false, false], saves.Select(s => s.Duplicate));
        Assert.Equal(3, (await fresh.GetAsync(saves[0].Id, CancellationToken.None))!.Recommendations.Count);
        Assert.Equal(2, (await fresh.GetAsync(saves[1].Id, CancellationToken.None))!.Recommendations.Count);
    }

    protected static RunRecord Run(DateTimeOffset data, int recommendations) => new()
    {
        Key = Guid.NewGuid().ToString("n"),
        StrategyName = "kiln",
        StrategyVersion = "1.0.0",
        ModelVersions = new Dictionary<string, string> { ["models/m.onnx"] = "etag-1" },
        DataTimestamp = data,
        StartedAt = data.AddSeconds(1).AddTicks(1234560),
        FinishedAt = data.AddSeconds(1.25),
        Outcome = RunOutcome.Success,
        SolverStatus = "Solve_Succeeded",
        Iterations = 12,
        Cost = -1.5000000000000002,
        Message = "ok",
        Recommendations = [.. Enumerable.Range(0, recommendations).Select(i => new Recommendation($"v{i:D5}", i / 3.0, (i / 3.0) + 0.1, 0.1, "t/h"))],
    };

    // Subnormals, the extremes, 1-ulp neighbours of round decimals and of powers of two, 17-digit values, signed zeros.
    private static IEnumerable<double> EdgeDoubles()
    {
        double[] seeds = [0.1, 0.2, 0.3, 1, 2, 1e-300, 1e300, 123456789.12345679, 0.30000000000000004, 9007199254740993, 2.2250738585072014e-308, Math.PI, Math.E, 1.0 / 3];
        foreach (var seed in seeds)
        {
            foreach (var value in new[] { seed, Math.BitIncrement(seed), Math.BitDecrement(seed) })
            {
                yield return value;
                yield return -value;
            }
        }

        yield return double.Epsilon;
        yield return -double.Epsilon;
        yield return 2 * double.Epsilon;
        yield return BitConverter.Int64BitsToDouble(0x000FFFFFFFFFFFFF);
        yield return double.MaxValue;
        yield return double.MinValue;
        yield return 0.0;
        yield return -0.0;
        yield return double.PositiveInfinity;
        yield return double.NegativeInfinity;
        yield return 1.7976931348623157e308;
        yield return 4.9406564584124654e-324;
    }

    // Random bit patterns (all exponents alike, subnormals included), NaN left out; a fixed seed, so a failure repeats.
    private static IEnumerable<double> RandomDoubles(int count)
    {
        var random = new Random(19);
        for (var made = 0; made < count;)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            if (!double.IsNaN(value))
            {
                made++;
                yield return value;
            }
        }
    }
}
