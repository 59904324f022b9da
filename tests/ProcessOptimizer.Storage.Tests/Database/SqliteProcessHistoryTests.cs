using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

public sealed class SqliteProcessHistoryTests() : ProcessHistoryTests(DatabaseKind.Sqlite);
