using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>A stored run reads back every value it was stored with, on SQLite and on a real PostgreSQL.</summary>
public abstract class RunValuesTests(DatabaseKind kind) : MigratedDatabase(kind)
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    // Values an answer can publish: the extremes of a double, the digits that only a round-trip format keeps, and
    // infinities (the stored cost only is kept finite). Not -0: SQLite stores a whole REAL as an integer, so it
    // reads back +0, and a cycle publishes no -0 (an input's -0 comes back as 0).
    public static TheoryData<double> Values() => [double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 0.1 + 0.2, 1e-320, 123456789.12345679, -2.2250738585072014E-308];

    [Theory]
    [MemberData(nameof(Values))]
    public async Task Save_RecommendationValues_ReadBackToTheBit(double value)
    {
        var store = new SqlRunStore(Database);
        var run = Run(Start) with { Cost = value, Recommendations = [new Recommendation("x", value, value, value, "t/h")] };

        var stored = await store.GetAsync((await store.SaveAsync(run, CancellationToken.None)).Id, CancellationToken.None);

        var read = Assert.Single(stored!.Recommendations);
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(read.Current));
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(read.Recommended));
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(read.Delta));
        Assert.Equal(double.IsFinite(value) ? BitConverter.DoubleToInt64Bits(value) : (long?)null, stored.Cost is { } cost ? BitConverter.DoubleToInt64Bits(cost) : null);
    }

    [Fact]
    public async Task Save_NamesAndUnitsOutsideTheBasicPlane_ReadBackInTheOrderGiven()
    {
        var store = new SqlRunStore(Database);
        Recommendation[] given = [new("b", 1, 2, 1, "m³/h"), new("a", 1, 2, 1, "°C"), new("B", 1, 2, 1, ""), new("𝛼", 1, 2, 1, "🔥"), new("é", 1, 2, 1, "")];
        var run = Run(Start) with { Recommendations = given };

        var stored = await store.GetAsync((await store.SaveAsync(run, CancellationToken.None)).Id, CancellationToken.None);

        Assert.Equal(given.OrderBy(r => r.Variable, StringComparer.Ordinal), stored!.Recommendations);
    }

    protected static RunRecord Run(DateTimeOffset data) => new()
    {
        StrategyName = "kiln/api",
        StrategyVersion = "1.0.0",
        ModelVersions = new Dictionary<string, string> { ["models/m.onnx"] = "etag-1" },
        DataTimestamp = data,
        StartedAt = data.AddSeconds(1),
        FinishedAt = data.AddSeconds(1.25),
        Outcome = RunOutcome.Success,
        SolverStatus = "Solve_Succeeded",
        Iterations = 12,
        Cost = -1.5,
        Message = "ok",
    };
}

public sealed class SqliteRunValuesTests() : RunValuesTests(DatabaseKind.Sqlite)
{
    [Fact]
    public async Task Save_TimesWithTenthsOfAMicrosecond_ReadBackExactly()
    {
        // A request's rows may carry seven fraction digits, and an API run's data time is its last row's. (PostgreSQL's
        // timestamptz keeps microseconds only: there the last digit is lost.)
        var data = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);
        var store = new SqlRunStore(Database);
        var run = Run(data) with { StartedAt = data.AddTicks(3), FinishedAt = data.AddTicks(9) };

        var stored = await store.GetAsync((await store.SaveAsync(run, CancellationToken.None)).Id, CancellationToken.None);

        Assert.Equal(data.UtcTicks, stored!.DataTimestamp!.Value.UtcTicks);
        Assert.Equal(run.StartedAt.UtcTicks, stored.StartedAt.UtcTicks);
        Assert.Equal(run.DurationMs, stored.DurationMs);
    }
}

public sealed class PostgresRunValuesTests() : RunValuesTests(DatabaseKind.Postgres)
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.0)]
    public async Task Save_NaNAndNegativeZero_ReadBackToTheBit(double value)
    {
        var store = new SqlRunStore(Database);
        var run = Run(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)) with { Recommendations = [new Recommendation("x", value, value, value, "t/h")] };

        var stored = await store.GetAsync((await store.SaveAsync(run, CancellationToken.None)).Id, CancellationToken.None);

        var read = Assert.Single(stored!.Recommendations);
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(read.Current));
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(read.Delta));
    }
}
