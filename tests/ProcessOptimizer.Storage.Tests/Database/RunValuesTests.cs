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

    // A request's rows may carry seven fraction digits, and an API run's data time is its last row's: every time of a
    // run reads back cut to the microsecond, the same on both databases (PostgreSQL's timestamptz keeps no more), and
    // so the duration, which is read as the difference of the two, to the microsecond. Before 2000 and 1970 too,
    // where Npgsql, given the tick, would move the time forward.
    [Theory]
    [InlineData("2026-03-01T00:00:00.1234567Z", "2026-03-01T00:00:00.1234560+00:00")]
    [InlineData("2025-12-31T23:59:59.9999999Z", "2025-12-31T23:59:59.9999990+00:00")]
    [InlineData("1999-12-31T23:59:59.9999999Z", "1999-12-31T23:59:59.9999990+00:00")]
    [InlineData("1969-12-31T23:59:59.9999999-05:00", "1970-01-01T04:59:59.9999990+00:00")]
    [InlineData("2026-03-01T00:00:00Z", "2026-03-01T00:00:00.0000000+00:00")]
    public async Task Save_TimesWithTenthsOfAMicrosecond_ReadBackCutToTheMicrosecond(string given, string kept)
    {
        var data = DateTimeOffset.Parse(given, System.Globalization.CultureInfo.InvariantCulture);
        var store = new SqlRunStore(Database);
        var run = Run(data) with { StartedAt = data.AddSeconds(1), FinishedAt = data.AddSeconds(1).AddTicks(9) };

        var stored = await store.GetAsync((await store.SaveAsync(run, CancellationToken.None)).Id, CancellationToken.None);

        Assert.Equal(kept, stored!.DataTimestamp!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse(kept, System.Globalization.CultureInfo.InvariantCulture).AddSeconds(1), stored.StartedAt);
        Assert.InRange(stored.DurationMs, run.DurationMs - 0.001, run.DurationMs + 0.001);
        Assert.Equal(stored.DataTimestamp, (await store.LastRunTimestampAsync(run.StrategyName, CancellationToken.None))!.Value);
    }

    [Fact]
    public async Task Save_LoneSurrogatesInNamesUnitsAndMessage_StoredWithTheReplacementCharacterOnBothDatabases()
    {
        // Text that is not valid UTF-16 (half of a surrogate pair: an inline strategy's YAML may write one as an
        // escape) cannot be stored as UTF-8. Refused, such a run would be a run the database never takes; it is
        // stored instead with U+FFFD in each half's place, as a NUL is, and alike on both databases.
        var store = new SqlRunStore(Database);
        var run = Run(Start) with
        {
            Message = "lone \uD800 high",
            MessageItems = ["lone \uDC00 low"],
            Recommendations = [new Recommendation("x\uD83D", 1, 2, 1, "\uDFFFt/h")],
        };

        var stored = await store.GetAsync((await store.SaveAsync(run, CancellationToken.None)).Id, CancellationToken.None);

        Assert.Equal("lone \uFFFD high", stored!.Message);
        Assert.Equal(["lone \uFFFD low"], stored.MessageItems!);
        var read = Assert.Single(stored.Recommendations);
        Assert.Equal("x\uFFFD", read.Variable);
        Assert.Equal("\uFFFDt/h", read.Units);
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
    [Theory]
    [InlineData("current")]
    [InlineData("recommended")]
    [InlineData("delta")]
    public async Task Save_NaN_IsRefusedForGoodNamingTheValue(string which)
    {
        // SQLite stores a NaN as NULL, which the recommendation's NOT NULL columns refuse. The refusal must say the
        // run's data is what the database will never take, so that the outbox sets the run aside instead of keeping
        // it first and every run after it waiting (the replay goes oldest first).
        var store = new SqlRunStore(Database);
        var nan = new Recommendation("kiln_feed", which == "current" ? double.NaN : 1, which == "recommended" ? double.NaN : 2, which == "delta" ? double.NaN : 1, "t/h");

        var refused = await Assert.ThrowsAsync<DatabaseException>(() => store.SaveAsync(Run(Start) with { Recommendations = [new("other", 1, 2, 1, ""), nan] }, CancellationToken.None));

        Assert.True(refused.RefusesTheData, refused.Message);
        Assert.False(refused.IsTransient, refused.Message);
        Assert.Contains("NaN", refused.Message, StringComparison.Ordinal);
        Assert.Contains("kiln_feed", refused.Message, StringComparison.Ordinal);
        Assert.Contains(which, refused.Message, StringComparison.Ordinal);

        // Nothing of the refused run is kept, and the next run is stored as usual.
        var next = await store.SaveAsync(Run(Start.AddMinutes(1)), CancellationToken.None);
        Assert.Equal(Start.AddMinutes(1), (await store.LatestAsync(null, CancellationToken.None))!.DataTimestamp);
        Assert.False(next.Duplicate);
    }
}

public sealed class PostgresRunValuesTests() : RunValuesTests(DatabaseKind.Postgres)
{
    // Found on the server: Npgsql writes a timestamptz as microseconds since 2000, dropping the ticks below one, so a
    // tick-precise time after 2000 is cut back but one before 2000 is moved forward (a year's last tick becomes the
    // next year). The reason the service cuts every time itself before the driver sees it.
    [Theory]
    [InlineData("2026-03-01T00:00:00.9999999Z", "2026-03-01T00:00:00.9999990+00:00")]
    [InlineData("1999-12-31T23:59:59.9999999Z", "2000-01-01T00:00:00.0000000+00:00")]
    [InlineData("1969-12-31T23:59:59.9999999Z", "1970-01-01T00:00:00.0000000+00:00")]
    public async Task Driver_TimeWithATenthOfAMicrosecond_RoundedTowardsTheYear2000(string given, string stored)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT @t::timestamptz", connection);
        command.Parameters.AddWithValue("t", DateTimeOffset.Parse(given, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime);

        var read = (DateTime)(await command.ExecuteScalarAsync())!;

        Assert.Equal(stored, new DateTimeOffset(DateTime.SpecifyKind(read, DateTimeKind.Utc)).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

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
