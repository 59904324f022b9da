using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

public sealed class SqliteImportStreamTests() : ImportStreamTests(DatabaseKind.Sqlite);
