using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ProcessOptimizer.Tests.Service;
using ProcessOptimizer.Tests.Workers;

namespace ProcessOptimizer.Tests.Api;

/// <summary>
/// A window's last time, given to the tick (as .NET clients write it), with fewer digits, with none, at the end of a
/// second, a day or a year, in an offset, before 2000 and before 1970: the answer, its stored run and <c>/runs</c> show
/// the one time, cut to the microsecond, on SQLite and on PostgreSQL (whose timestamptz kept only the microseconds
/// while the answer had all seven digits). Two rows at one time, to the microsecond, are refused naming both.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class DataTimeHostTests
{
    // The last row's time as sent, and the data time every view of the answer must show.
    private static readonly (string Given, string Kept)[] Times =
    [
        ("2026-01-03T17:19:00.1234567Z", "2026-01-03T17:19:00.123456+00:00"),
        ("2026-01-03T17:19:00.123456Z", "2026-01-03T17:19:00.123456+00:00"),
        ("2026-01-03T17:19:00.123Z", "2026-01-03T17:19:00.123+00:00"),
        ("2026-01-03T17:19:00Z", "2026-01-03T17:19:00+00:00"),
        ("2026-01-03T17:19:59.9999999Z", "2026-01-03T17:19:59.999999+00:00"),
        ("2026-01-03T23:59:59.9999999Z", "2026-01-03T23:59:59.999999+00:00"),
        ("2025-12-31T23:59:59.9999999Z", "2025-12-31T23:59:59.999999+00:00"),
        ("2025-12-31T18:59:59.9999999-05:00", "2025-12-31T23:59:59.999999+00:00"),
        ("2026-01-01T05:29:59.9999999+05:30", "2025-12-31T23:59:59.999999+00:00"),
        ("1999-12-31T23:59:59.9999999Z", "1999-12-31T23:59:59.999999+00:00"),
        ("1969-12-31T23:59:59.9999999-08:00", "1970-01-01T07:59:59.999999+00:00"),
    ];

    [Fact]
    public async Task Optimize_LastTimeInEveryFormOnSqlite_AnswerRunAndRunsShowOneTime()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");

        await OneTimeEverywhereAsync(host.Client);
        await DuplicatesRefusedAsync(host.Client);
    }

    [Fact]
    public async Task Optimize_LastTimeInEveryFormOnPostgres_AnswerRunAndRunsShowOneTime()
    {
        var service = new ServiceFixture { Settings = ["--Solver:Workers=1"] };
        await service.InitializeAsync();
        try
        {
            await OneTimeEverywhereAsync(service.Client);
            await DuplicatesRefusedAsync(service.Client);
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    private static async Task OneTimeEverywhereAsync(HttpClient client)
    {
        foreach (var (given, kept) in Times)
        {
            var (status, answer) = await PostAsync(client, Window(given, (_, time) => time));
            Assert.True(status == HttpStatusCode.OK, $"{given}: {(int)status} {answer}");
            var answered = answer.GetProperty("data_timestamp").GetString();
            var id = answer.GetProperty("run_id").GetInt64();
            using var stored = JsonDocument.Parse(await client.GetStringAsync($"/runs/{id}"));
            using var listed = JsonDocument.Parse(await client.GetStringAsync("/runs?strategy=process-optimization/api&limit=1"));

            Assert.Equal((given, kept), (given, answered));
            Assert.Equal((given, kept), (given, stored.RootElement.GetProperty("data_timestamp").GetString()));
            var entry = Assert.Single(listed.RootElement.EnumerateArray());
            Assert.Equal(id, entry.GetProperty("id").GetInt64());
            Assert.Equal((given, kept), (given, entry.GetProperty("data_timestamp").GetString()));
        }
    }

    // Rows 88 and 89 (the last two) at one time to the microsecond, or row 3 at row 2's time in another form.
    private static async Task DuplicatesRefusedAsync(HttpClient client)
    {
        (string Body, string Message)[] cases =
        [
            (Window("2026-01-03T17:19:00.1234568Z", (row, time) => row == 88 ? "2026-01-03T17:19:00.1234567Z" : time),
                "input_data[89].timestamp: repeats the time of input_data[88] to the microsecond, 2026-01-03T17:19:00.123456Z, the precision times are kept to"),
            (Window("2026-01-03T17:19:00Z", (row, time) => row == 3 ? "2026-01-03T10:52:00-05:00" : time),
                "input_data[3].timestamp: repeats the time of input_data[2]"),
        ];
        foreach (var (body, message) in cases)
        {
            var (status, problem) = await PostAsync(client, body);

            Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {problem}");
            Assert.Equal([message], problem.GetProperty("errors").GetProperty("input_data").EnumerateArray().Select(e => e.GetString()));
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/optimize", new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    // The kiln's latest window moved so that its last row is at last (written as given), each row before it a minute
    // earlier in the same offset with all seven digits; then each row's time as time(row, written) says.
    private static string Window(string last, Func<int, string, string> time)
    {
        var lines = File.ReadAllLines(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var header = lines[0].Split(',');
        var end = DateTimeOffset.Parse(last, CultureInfo.InvariantCulture);
        var count = lines.Length - 1;
        var rows = lines.Skip(1).Select((line, row) =>
        {
            var cells = line.Split(',');
            var written = row == count - 1 ? last : end.AddMinutes(row - count + 1).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);
            var data = string.Join(", ", header.Skip(1).Zip(cells.Skip(1)).Select(t => $"\"{t.First}\": {(t.Second.Length == 0 ? "null" : t.Second)}"));
            return $"{{\"timestamp\": \"{time(row, written)}\", \"data\": {{{data}}}}}";
        });
        return $"{{\"input_data\": [{string.Join(", ", rows)}]}}";
    }
}
