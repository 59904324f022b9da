using Npgsql;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14: the original service's own data writer creates <c>process_data</c> with <c>"timestamp" TIMESTAMP
/// PRIMARY KEY</c> (no time zone) and stamps rows with the plant server's local clock. With the plant in
/// America/Chicago and Database:TimeZone set to it, those rows are read as Chicago times: fresh, not 6 hours old.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class PlantTimeZoneTests
{
    private const string Zone = "America/Chicago";

    [Fact]
    public async Task NaiveLocalTimestamps_InAChicagoPlant_GiveARecommendation()
    {
        var service = new ServiceFixture { Seed = WriteAsTheOriginalDoesAsync, Settings = ["--Database:TimeZone=" + Zone] };
        try
        {
            await service.InitializeAsync();
            var run = await service.LatestRunAsync();

            Assert.Equal("success", run.GetProperty("outcome").GetString());
            Assert.Equal(30, run.GetProperty("recommendations").GetArrayLength());
            var data = run.GetProperty("data_timestamp").GetDateTimeOffset();
            Assert.Equal(service.LastDataRow, data);
            Assert.Equal(TimeSpan.Zero, data.Offset);
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    /// <summary>The kiln window in the original's table shape, each time written as Chicago wall-clock time without a zone.</summary>
    private static async Task<DateTimeOffset> WriteAsTheOriginalDoesAsync(string connection)
    {
        var rows = File.ReadAllLines(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var header = rows[0].Split(',');
        var chicago = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        var columns = string.Join(", ", header.Skip(1).Select(c => $"\"{c}\" DOUBLE PRECISION"));
        await new NpgsqlCommand($"CREATE TABLE process_data (\"timestamp\" TIMESTAMP PRIMARY KEY, {columns})", db).ExecuteNonQueryAsync();
        DateTimeOffset newest = default;
        foreach (var line in rows.Skip(1))
        {
            var cells = line.Split(',');
            newest = DateTimeOffset.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture);
            var local = TimeZoneInfo.ConvertTime(newest, chicago).DateTime;
            await using var insert = new NpgsqlCommand($"INSERT INTO process_data VALUES (@t, {string.Join(", ", cells.Skip(1).Select((_, i) => $"@v{i}"))})", db);
            insert.Parameters.AddWithValue("t", NpgsqlTypes.NpgsqlDbType.Timestamp, DateTime.SpecifyKind(local, DateTimeKind.Unspecified));
            for (var i = 1; i < cells.Length; i++)
            {
                insert.Parameters.AddWithValue($"v{i - 1}", double.Parse(cells[i], System.Globalization.CultureInfo.InvariantCulture));
            }

            await insert.ExecuteNonQueryAsync();
        }

        return newest;
    }
}
