using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ProcessOptimizer.Inputs;

namespace ProcessOptimizer.Tests.Service;

/// <summary>
/// Issue 15: the kiln window sent in forms the one-pass body reading takes another way (timestamps escaped, with an
/// offset or a fraction, tags escaped or moved between rows) is answered as the plain window is, and a timestamp in
/// the usual form naming a moment that does not exist is the full reading's validation problem, naming its row; a
/// tag that is not a variable is refused in whichever row it is.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class OptimizeWindowFormsTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Optimize_WindowInOddButValidForms_AnsweredAsThePlainWindow()
    {
        var (plainStatus, plain) = await PostAsync(Window((_, time) => time, (_, tags) => tags));
        var oddBody = Window(OddTime, OddTags);
        var (oddStatus, odd) = await PostAsync(oddBody);

        // The odd forms are the one-pass reading's to take, not left to the full reading.
        Assert.NotNull(WindowBodyReader.TryRead(Encoding.UTF8.GetBytes(oddBody)));

        Assert.Equal(HttpStatusCode.OK, plainStatus);
        Assert.Equal(HttpStatusCode.OK, oddStatus);
        Assert.Equal(await DataTimestampAsync(plain), await DataTimestampAsync(odd));
        Assert.Equal(plain.GetProperty("status").GetString(), odd.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("2026-02-29T00:00:00Z")]
    [InlineData("2026-01-03T24:00:00Z")]
    [InlineData("2016-12-31T23:59:60Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("2026-02-2\\u0039T00:00:00Z")]
    public async Task Optimize_TimestampThatDoesNotExist_IsAProblemNamingItsRow(string time)
    {
        var (status, problem) = await PostAsync(Window((row, t) => row == 7 ? time : t, (_, tags) => tags));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("input_data[7].timestamp: must be an ISO 8601 date and time", problem.GetProperty("errors").GetProperty("input_data")[0].GetString());
    }

    // The tags of rows read from one body are looked up only where they differ from the row before: an unknown tag
    // in any row, in place of a known one or beside them, is still found.
    [Theory]
    [InlineData(0, false)]
    [InlineData(45, false)]
    [InlineData(45, true)]
    [InlineData(89, true)]
    public async Task Optimize_UnknownTagInOneRowOfTheWindow_IsAProblemNamingIt(int unknownRow, bool added)
    {
        var (status, problem) = await PostAsync(Window((_, time) => time, (row, tags) => row != unknownRow ? tags
            : added ? tags.Append(("Bogus_tag", "1.5"))
            : tags.Select((t, i) => i == 3 ? ("Bogus_tag", t.Value) : t)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["input_data.Bogus_tag"], errors.EnumerateObject().Select(e => e.Name));
        Assert.StartsWith("'Bogus_tag' is not a variable of strategy", errors.GetProperty("input_data.Bogus_tag")[0].GetString(), StringComparison.Ordinal);
    }

    // A feed that stopped for three hours and came back: the window's older rows are from before the stop, and lags
    // and smoothing count rows. The answer must say so, and a window without a gap must not.
    [Fact]
    public async Task Optimize_WindowWithAGapLongerThanTheDataAge_WarnsNamingTheGap()
    {
        var (plainStatus, plain) = await PostAsync(Window((_, time) => time, (_, tags) => tags));
        var (gapStatus, gap) = await PostAsync(Window((row, time) => row < 60 ? Earlier(time, TimeSpan.FromHours(3)) : time, (_, tags) => tags));

        Assert.Equal(HttpStatusCode.OK, plainStatus);
        Assert.Equal(HttpStatusCode.OK, gapStatus);
        Assert.DoesNotContain(plain.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("gap", StringComparison.Ordinal));
        var warning = Assert.Single(gap.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("gap", StringComparison.Ordinal)).GetString()!;
        Assert.Contains("a gap of 3 h between", warning, StringComparison.Ordinal);
        Assert.Contains("60 of its 90 rows are from before it", warning, StringComparison.Ordinal);
    }

    // A writer that keeps stamping its last sample: the last 30 rows repeat row 59 whole, so every tag holds still for
    // 29 minutes, and the answer must say so; the plain window's noise must not.
    [Fact]
    public async Task Optimize_EveryTagHeldForLongerThanTheDataAge_WarnsThatTheFeedMayRepeatItself()
    {
        var lines = File.ReadAllLines(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var held = lines[60].Split(',').Skip(1).ToArray();
        var (plainStatus, plain) = await PostAsync(Window((_, time) => time, (_, tags) => tags));
        var (heldStatus, frozen) = await PostAsync(Window((_, time) => time, (row, tags) => row < 60 ? tags : tags.Select((t, i) => (t.Name, held[i]))));

        Assert.Equal(HttpStatusCode.OK, plainStatus);
        Assert.Equal(HttpStatusCode.OK, heldStatus);
        Assert.DoesNotContain(plain.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("same value", StringComparison.Ordinal));
        var warning = Assert.Single(frozen.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("same value", StringComparison.Ordinal)).GetString()!;
        Assert.Contains("holds the same value in its last 31 rows", warning, StringComparison.Ordinal);
    }

    private static string Earlier(string time, TimeSpan by) =>
        DateTimeOffset.Parse(time, CultureInfo.InvariantCulture).Subtract(by).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    // Every third row's time escaped, with an offset or a fraction; every other row's tags reversed, one escaped.
    private static string OddTime(int row, string time)
    {
        var instant = DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);
        return (row % 4) switch
        {
            0 => "\\u0032" + time[1..],
            1 => instant.ToOffset(TimeSpan.FromHours(5.5)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            2 => instant.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
            _ => time,
        };
    }

    private static IEnumerable<(string Name, string Value)> OddTags(int row, IEnumerable<(string Name, string Value)> tags) =>
        row % 2 == 0 ? tags : tags.Reverse().Select((t, i) => i == 0 ? ("\\u00" + ((int)t.Name[0]).ToString("x2", CultureInfo.InvariantCulture) + t.Name[1..], t.Value) : t);

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string body)
    {
        var response = await service.Client.PostAsync("/optimize", new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<DateTimeOffset> DataTimestampAsync(JsonElement answer) =>
        (await service.Client.GetFromJsonAsync<JsonElement>($"/runs/{answer.GetProperty("run_id").GetInt64()}")).GetProperty("data_timestamp").GetDateTimeOffset();

    // The kiln's latest window as JSON text, each row's time and tags written as given.
    private static string Window(Func<int, string, string> time, Func<int, IEnumerable<(string Name, string Value)>, IEnumerable<(string Name, string Value)>> tags)
    {
        var lines = File.ReadAllLines(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select((line, row) =>
        {
            var cells = line.Split(',');
            var data = string.Join(", ", tags(row, header.Skip(1).Zip(cells.Skip(1))).Select(t => $"\"{t.Name}\": {t.Value}"));
            return $"{{\"timestamp\": \"{time(row, cells[0])}\", \"data\": {{{data}}}}}";
        });
        return $"{{\"input_data\": [{string.Join(", ", rows)}]}}";
    }
}
