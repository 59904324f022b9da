namespace ProcessOptimizer.Storage.Database;

/// <summary>Process data, runs and their recommendations, and the schema's version row, in the order they are made.</summary>
internal static class RunSchema
{
    public static IEnumerable<SchemaStep> Steps(SqlDialect dialect)
    {
        var t = dialect.TimestampType;
        yield return new("process_data", $"CREATE TABLE IF NOT EXISTS process_data (\"timestamp\" {t} PRIMARY KEY)");
        if (dialect.TimeIndex("process_data") is { } index)
        {
            yield return index;
        }

        yield return new("optimization_runs", $"""
            CREATE TABLE IF NOT EXISTS optimization_runs (
              {dialect.IdentityColumn},
              strategy_name TEXT NOT NULL,
              strategy_version TEXT NOT NULL,
              model_versions TEXT NOT NULL,
              data_timestamp {t} NULL,
              started_at {t} NOT NULL,
              finished_at {t} NOT NULL,
              duration_ms DOUBLE PRECISION NOT NULL,
              outcome TEXT NOT NULL,
              solver_status TEXT NULL,
              iterations INTEGER NULL,
              cost DOUBLE PRECISION NULL,
              message TEXT NULL)
            """);
        yield return new("optimization_runs_strategy_data", "CREATE INDEX IF NOT EXISTS optimization_runs_strategy_data ON optimization_runs (strategy_name, data_timestamp)");
        yield return new("optimization_runs_started", "CREATE INDEX IF NOT EXISTS optimization_runs_started ON optimization_runs (started_at)");

        // Pruning keeps the newest runs of one name, by id.
        yield return new("optimization_runs_strategy_id", "CREATE INDEX IF NOT EXISTS optimization_runs_strategy_id ON optimization_runs (strategy_name, id)");
        yield return new("optimization_recommendations", """
            CREATE TABLE IF NOT EXISTS optimization_recommendations (
              run_id BIGINT NOT NULL REFERENCES optimization_runs (id) ON DELETE CASCADE,
              variable TEXT NOT NULL,
              current_value DOUBLE PRECISION NOT NULL,
              recommended_value DOUBLE PRECISION NOT NULL,
              delta DOUBLE PRECISION NOT NULL,
              units TEXT NOT NULL,
              PRIMARY KEY (run_id, variable))
            """);
        yield return new("schema_version", "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");

        // Each run carries a key of its own, so that a run replayed from the outbox is stored once even when its
        // first attempt committed but the answer was lost.
        yield return new("run_key", "ALTER TABLE optimization_runs ADD COLUMN run_key TEXT NULL", "optimization_runs");
        yield return new("optimization_runs_key", "CREATE UNIQUE INDEX IF NOT EXISTS optimization_runs_key ON optimization_runs (run_key)");

        // In a cluster, any replica may run any strategy's next cycle: each run names the instance that made it,
        // and a loop run that consumed data carries a key unique per (strategy, data timestamp), so that a replica
        // taken for dead, or a retried firing, cannot store the same consumption twice.
        yield return new("node", "ALTER TABLE optimization_runs ADD COLUMN node TEXT NULL", "optimization_runs");
        yield return new("data_key", "ALTER TABLE optimization_runs ADD COLUMN data_key TEXT NULL", "optimization_runs");
        yield return new("optimization_runs_data_key", "CREATE UNIQUE INDEX IF NOT EXISTS optimization_runs_data_key ON optimization_runs (data_key)");

        // The message's items (the error, or the most violated constraint and each warning) as a JSON array, so that
        // an item containing "; " is not split where the message joins them.
        yield return new("message_items", "ALTER TABLE optimization_runs ADD COLUMN message_items TEXT NULL", "optimization_runs");
    }
}
