using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

public sealed class PostgresRunStoreTests() : RunStoreTests(DatabaseKind.Postgres);
