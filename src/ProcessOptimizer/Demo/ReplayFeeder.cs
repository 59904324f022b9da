using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Demo;

/// <summary>
/// Keeps the embedded demo's data fresh: on first start the example history is loaded so that it ends now,
/// and each minute's row (the next example row) is appended as the minute starts, cycling through the history.
/// </summary>
public sealed partial class ReplayFeeder(CsvTable history, ProcessDatabase database, TimeProvider time, ILogger<ReplayFeeder> logger) : BackgroundService
{
    // The initial load ends at this row of the example history, a normal operating point inside the
    // burning-zone limits, so the first demo cycle shows a recommendation rather than a hold; the replay
    // continues from the next row.
    private const int SeedEndRow = 3919;

    // After a long stop, catch up at most a day at once.
    private const int MaxCatchUp = 1440;

    /// <summary>Loads the history shifted to end at the current minute, if the table is empty.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var source = new SqlProcessDataSource(database);
        if (await source.SpanAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var count = Math.Min(SeedEndRow + 1, history.Rows.Count);
        var origin = Minute(time.GetUtcNow()).AddMinutes(-(count - 1));
        await ImportAsync(Enumerable.Range(0, count).Select(i => new CsvRow(origin.AddMinutes(i), history.Rows[i].Values)), cancellationToken).ConfigureAwait(false);
        LogSeeded(logger, count, origin);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Looked at every few seconds, a minute's row is there within seconds of the minute starting, so a
        // cycle every minute meets a new row each time instead of racing a once-a-minute timer.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await CatchUpAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (DatabaseException ex)
                {
                    LogFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    /// <summary>Appends example rows, one per minute, from the newest stored row up to now.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var span = await new SqlProcessDataSource(database).SpanAsync(cancellationToken).ConfigureAwait(false);
        if (span is null)
        {
            return;
        }

        var target = Minute(time.GetUtcNow());
        var rows = new List<CsvRow>();
        for (var at = span.Last.AddMinutes(1); at <= target && rows.Count < MaxCatchUp; at = at.AddMinutes(1))
        {
            var index = (int)(((long)(at - span.First).TotalMinutes) % history.Rows.Count);
            rows.Add(new CsvRow(at, history.Rows[index].Values));
        }

        if (rows.Count > 0)
        {
            await ImportAsync(rows, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task ImportAsync(IEnumerable<CsvRow> rows, CancellationToken cancellationToken) =>
        new ProcessDataImporter(database).ImportAsync(new CsvTable(history.Columns, [.. rows]), cancellationToken);

    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Demo data: loaded {Rows} rows of the kiln example, from {Origin:O} to now")]
    private static partial void LogSeeded(ILogger logger, int rows, DateTimeOffset origin);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Demo data: could not append the next row: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
