using System.Globalization;
using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Core.Tests.Data;

/// <summary>
/// Process-data times are kept to the microsecond, cut towards the past, in their own offset: what PostgreSQL's
/// timestamptz keeps of a time after 2000, and the same instant before 2000, before 1970 and at the ends of the range.
/// </summary>
public class DataTimeTests
{
    [Theory]
    [InlineData("2026-01-03T17:19:00.1234567Z", "2026-01-03T17:19:00.1234560+00:00")]
    [InlineData("2026-01-03T17:19:00.123456Z", "2026-01-03T17:19:00.1234560+00:00")]
    [InlineData("2026-01-03T17:19:00.123Z", "2026-01-03T17:19:00.1230000+00:00")]
    [InlineData("2026-01-03T17:19:00Z", "2026-01-03T17:19:00.0000000+00:00")]
    [InlineData("2026-01-03T17:19:59.9999999Z", "2026-01-03T17:19:59.9999990+00:00")]
    [InlineData("2026-01-03T23:59:59.9999999Z", "2026-01-03T23:59:59.9999990+00:00")]
    [InlineData("2025-12-31T23:59:59.9999999Z", "2025-12-31T23:59:59.9999990+00:00")]
    [InlineData("2025-12-31T23:59:59.9999999-05:00", "2025-12-31T23:59:59.9999990-05:00")]
    [InlineData("2026-01-01T00:00:00.0000001+05:30", "2026-01-01T00:00:00.0000000+05:30")]
    [InlineData("1999-12-31T23:59:59.9999999Z", "1999-12-31T23:59:59.9999990+00:00")]
    [InlineData("1969-12-31T23:59:59.9999999Z", "1969-12-31T23:59:59.9999990+00:00")]
    [InlineData("1969-12-31T23:59:59.9999999-08:00", "1969-12-31T23:59:59.9999990-08:00")]
    [InlineData("0001-01-01T00:00:00.0000009Z", "0001-01-01T00:00:00.0000000+00:00")]
    [InlineData("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999990+00:00")]
    public void Whole_GivenTime_CutTowardsThePastInItsOwnOffset(string given, string kept)
    {
        var time = DateTimeOffset.Parse(given, CultureInfo.InvariantCulture);

        Assert.Equal(kept, DataTime.Whole(time).ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(kept, DataTime.Whole(DataTime.Whole(time)).ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(DataTime.Whole(time).UtcDateTime, DataTime.Whole(time.UtcDateTime));
    }

    [Fact]
    public void Text_TimeInAnOffset_UtcWithSixDigits() =>
        Assert.Equal("1970-01-01T04:59:59.999999Z", DataTime.Text(DateTimeOffset.Parse("1969-12-31T23:59:59.9999999-05:00", CultureInfo.InvariantCulture)));
}
