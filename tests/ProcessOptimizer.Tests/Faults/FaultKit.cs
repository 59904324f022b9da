using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>What the fault tests ask of a running service and its database.</summary>
internal static class FaultKit
{
    /// <summary>The kiln window as an <c>/optimize</c> body.</summary>
    public static object KilnRequest()
    {
        var rows = File.ReadAllLines(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var header = rows[0].Split(',');
        return new
        {
            input_data = rows.Skip(1).Select(line =>
            {
                var cells = line.Split(',');
                return new Dictionary<string, object>
                {
                    ["timestamp"] = cells[0],
                    ["data"] = header.Skip(1).Zip(cells.Skip(1)).ToDictionary(p => p.First, p => (object)double.Parse(p.Second, System.Globalization.CultureInfo.InvariantCulture)),
                };
            }).ToList(),
        };
    }

    /// <summary>
    /// <c>GET /health</c>, which must answer within one second whatever the dependencies do: within a second and the
    /// time this process did not run meanwhile (<see cref="OwnLateness"/>).
    /// </summary>
    /// <remarks>
    /// A health check that waited for a hung dependency would answer after the dependency's call timeout or never;
    /// with fifty callers on a loaded machine, one that waits for nothing took over a second by the wall's clock.
    /// </remarks>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> HealthAsync(HttpClient client)
    {
        using var lateness = OwnLateness.Start();
        // Only a backstop, so that a health check that hangs fails the test instead of holding it.
        using var backstop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await client.GetAsync("/health", backstop.Token);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(backstop.Token);
        var (took, limit) = (lateness.Elapsed, lateness.Allow(TimeSpan.FromSeconds(1)));
        Assert.True(took < limit, $"/health answered after {took.TotalSeconds:F2} s, more than 1 s and the {lateness.Total.TotalSeconds:F2} s this process did not run");
        return (response.StatusCode, body);
    }

    /// <summary>
    /// Polls <c>/health</c> until <paramref name="says"/> holds of its answer, and fails unless that happens within one
    /// second of <paramref name="fault"/> (started when the fault was made) and the time this process did not run since:
    /// the service judges a hang net of its own lateness too.
    /// </summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SaysWithinASecondAsync(HttpClient client, OwnLateness fault, Func<HttpStatusCode, JsonElement, bool> says, string what)
    {
        while (true)
        {
            var (status, body) = await HealthAsync(client);
            var (after, limit) = (fault.Elapsed, fault.Allow(TimeSpan.FromSeconds(1)));
            if (says(status, body))
            {
                Assert.True(after < limit, $"/health said {what} only {after.TotalSeconds:F2} s after the fault, {limit.TotalSeconds:F2} s allowed");
                return (status, body);
            }

            Assert.True(after < limit, $"/health did not say {what} within {limit.TotalSeconds:F2} s of the fault (1 s and this process's lateness); it said {(int)status} {body}");
            await Task.Delay(50);
        }
    }

    public static async Task<JsonElement> OptimizeAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/optimize", KilnRequest());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/optimize answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>The value of a Prometheus series whose labels include <paramref name="label"/>, or null.</summary>
    public static async Task<double?> MetricAsync(HttpClient client, string name, string label)
    {
        var text = await client.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(line.IndexOf('}', StringComparison.Ordinal) + 2)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls until <paramref name="condition"/> holds.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var until = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds} s");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A copy of the newest process-data row at <paramref name="at"/>, with <paramref name="tag"/> set to <paramref name="value"/> if given: the feed delivering one more minute.</summary>
    public static async Task AppendRowAsync(string connection, DateTimeOffset at, string? tag = null, double value = 0)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        var set = tag is null ? "" : $", \"{tag}\" = @value";
        await using var command = new NpgsqlCommand(
            $"""
            CREATE TEMP TABLE next_row AS SELECT * FROM process_data ORDER BY "timestamp" DESC LIMIT 1;
            UPDATE next_row SET "timestamp" = @at{set};
            INSERT INTO process_data SELECT * FROM next_row;
            """, db);
        command.Parameters.AddWithValue("at", at.UtcDateTime);
        command.Parameters.AddWithValue("value", value);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The newest process-data row's value of <paramref name="tag"/>.</summary>
    public static async Task<double> NewestValueAsync(string connection, string tag)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand($"""SELECT "{tag}" FROM process_data ORDER BY "timestamp" DESC LIMIT 1""", db);
        return Convert.ToDouble(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every stored run, oldest first.</summary>
    public static async Task<IReadOnlyList<StoredRun>> RunsAsync(string connection)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, strategy_name, outcome, run_key, started_at, strategy_version FROM optimization_runs ORDER BY id", db);
        await using var reader = await command.ExecuteReaderAsync();
        var runs = new List<StoredRun>();
        while (await reader.ReadAsync())
        {
            runs.Add(new StoredRun(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5)));
        }

        return runs;
    }

    /// <summary>The loop's first run stored after run <paramref name="after"/>, waiting for it.</summary>
    public static async Task<StoredRun> NextLoopRunAsync(string connection, long after)
    {
        StoredRun? next = null;
        await WaitForAsync(async () =>
        {
            next = (await RunsAsync(connection)).FirstOrDefault(r => r.Id > after && r.Strategy == "process-optimization");
            return next is not null;
        }, TimeSpan.FromSeconds(30), "the next cycle");
        return next!;
    }

    /// <summary>No run lost or stored twice: since run <paramref name="first"/>, one loop run per slot and one per answer, each with its own key.</summary>
    public static void AssertEachStoredOnce(IReadOnlyList<StoredRun> runs, long first, int loop, int api)
    {
        var added = runs.Where(r => r.Id > first).ToList();
        Assert.Equal(loop, added.Count(r => r.Strategy == "process-optimization"));
        Assert.Equal(api, added.Count(r => r.Strategy == "process-optimization/api"));
        Assert.Equal(added.Count, added.Select(r => r.Key).Distinct().Count());
    }

    public sealed record StoredRun(long Id, string Strategy, string Outcome, string? Key, DateTimeOffset StartedAt, string Version);
}
