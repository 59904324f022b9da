namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// The backtest tables. They are apart from <c>optimization_runs</c>, so nothing a backtest stores can pass for a
/// live run or move the loop's last-run timestamp.
/// </summary>
internal static class BacktestSchema
{
    public static IEnumerable<SchemaStep> Steps(SqlDialect dialect)
    {
        var t = dialect.TimestampType;
        yield return new("backtests", $"""
            CREATE TABLE IF NOT EXISTS backtests (
              {dialect.IdentityColumn},
              strategy_name TEXT NOT NULL,
              from_time {t} NOT NULL,
              to_time {t} NOT NULL,
              step_seconds DOUBLE PRECISION NOT NULL,
              versions TEXT NOT NULL,
              status TEXT NOT NULL,
              created_at {t} NOT NULL,
              finished_at {t} NULL,
              steps_done INTEGER NOT NULL,
              steps_total INTEGER NOT NULL,
              summary TEXT NULL,
              error TEXT NULL,
              heartbeat_at {t} NULL)
            """);

        // A running backtest proves it is alive through this column; tables from before it get it, empty.
        yield return new("heartbeat_at", $"ALTER TABLE backtests ADD COLUMN heartbeat_at {t} NULL", "backtests");
        yield return new("backtest_steps", $"""
            CREATE TABLE IF NOT EXISTS backtest_steps (
              backtest_id BIGINT NOT NULL REFERENCES backtests (id) ON DELETE CASCADE,
              step_time {t} NOT NULL,
              version TEXT NOT NULL,
              data_timestamp {t} NULL,
              outcome TEXT NOT NULL,
              cost DOUBLE PRECISION NULL,
              cost_at_current DOUBLE PRECISION NULL,
              cost_at_operators DOUBLE PRECISION NULL,
              message TEXT NULL,
              detail TEXT NOT NULL,
              PRIMARY KEY (backtest_id, step_time, version))
            """);
    }
}
