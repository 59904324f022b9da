using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

public sealed class PostgresImportStreamTests() : ImportStreamTests(DatabaseKind.Postgres);
