using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

public sealed class PostgresProcessHistoryTests() : ProcessHistoryTests(DatabaseKind.Postgres);
