using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Dashboard;

/// <summary>Gathers a strategy's overview from the run store, the process data and the loop's schedule.</summary>
public sealed class StatusReader(IRunStore runs, ProcessHistory history, AppSettings app, OptimizationSettings settings, TimeProvider time)
{
    // Below this share of usable cycles in the last day, the strategy shows as degraded.
    private const double DegradedServiceFactor = 0.9;

    /// <exception cref="DatabaseException">The database cannot be read.</exception>
    public async Task<StrategyStatus> ReadAsync(DashboardStrategy strategy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var now = time.GetUtcNow();
        var latest = await runs.LatestAsync(strategy.Name, cancellationToken).ConfigureAwait(false);
        // Freshness is that of the row a cycle reads now: a row stamped in the future (a writer's wrong clock or zone)
        // is never read by a cycle, and counting it called a stopped feed fresh.
        var newest = await history.NewestRowAsync(strategy.DataTable, now, cancellationToken).ConfigureAwait(false);
        var latestRow = await history.NewestRowAsync(strategy.DataTable, null, cancellationToken).ConfigureAwait(false);
        var ahead = latestRow - now > Core.Data.DataGuard.AheadTolerance ? latestRow : null;
        var day = ServiceFactor.Of(24, await history.OutcomesAsync(strategy.Name, now.AddDays(-1), now, cancellationToken).ConfigureAwait(false));
        var week = ServiceFactor.Of(24 * 7, await history.OutcomesAsync(strategy.Name, now.AddDays(-7), now, cancellationToken).ConfigureAwait(false));
        var age = newest is { } n ? (now - n).TotalSeconds : (double?)null;
        var data = new DataFreshness(newest, age, settings.MaxDataAgeSeconds, age <= settings.MaxDataAgeSeconds, ahead);
        var version = strategy.Repository.Current?.Version ?? strategy.Repository.LiveVersion;
        var last = latest is null ? null : new LastRun(latest.Id, latest.StartedAt, latest.DataTimestamp, latest.Outcome.Name(), latest.StrategyVersion);
        var (health, reasons) = Judge(version, latest?.Outcome, data, day, settings.StaleUnhealthySeconds);
        return new StrategyStatus(strategy.Name, app.Mode, version, health, reasons, last, data, day, week, app.RunsLoop ? strategy.Cycles.NextAt : null, strategy.IntervalSeconds, now);
    }

    /// <summary>The overview's colour and its reasons in words: unhealthy needs action, degraded needs a look.</summary>
    public static (string Health, IReadOnlyList<string> Reasons) Judge(string? version, RunOutcome? last, DataFreshness data, ServiceFactor day, int staleUnhealthySeconds)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(day);
        var unhealthy = new List<string>();
        var degraded = new List<string>();
        if (version is null)
        {
            unhealthy.Add("no strategy version is loaded");
        }

        if (data.NewestRow is null)
        {
            unhealthy.Add(data.AheadRow is null ? "no process data is stored" : "no process data is stamped at or before now");
        }
        else if (data.AgeSeconds > staleUnhealthySeconds)
        {
            unhealthy.Add($"the newest data is {Minutes(data.AgeSeconds.Value)} old");
        }
        else if (!data.Fresh)
        {
            degraded.Add($"the newest data is {Minutes(data.AgeSeconds!.Value)} old, more than the {Minutes(data.MaxAgeSeconds)} a cycle accepts");
        }

        if (data.AheadRow is { } ahead)
        {
            degraded.Add($"a row is stamped {ahead:O}, in the future: cycles read no row after now, and a plant writer's clock or time zone may be wrong");
        }

        if (last is RunOutcome.Error or RunOutcome.SolverFailed)
        {
            unhealthy.Add($"the last cycle ended with {last.Value.Name()}");
        }
        else if (last is { } outcome && outcome != RunOutcome.Success)
        {
            degraded.Add($"the last cycle ended with {outcome.Name()}");
        }

        if (day.Share < DegradedServiceFactor)
        {
            degraded.Add($"{day.Usable} of {day.Total} cycles in the last 24 h gave a usable recommendation");
        }

        return unhealthy.Count > 0 ? ("unhealthy", [.. unhealthy, .. degraded])
            : degraded.Count > 0 ? ("degraded", degraded)
            : ("healthy", []);
    }

    private static string Minutes(double seconds) => seconds < 120 ? $"{seconds:0} s" : seconds < 7200 ? $"{seconds / 60:0} min" : $"{seconds / 3600:0.#} h";
}
