using Npgsql;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>
/// A process_data column renamed under a running loop: the first cycle's error carried Npgsql's "\n\nPOSITION: 236"
/// into the run's error and the log, where the next cycle's said "has no column for ..." in one line.
/// </summary>
public sealed class PostgresMessageTests
{
    [Fact]
    public void Describe_ServerErrorWithAPosition_IsTheSqlStateAndTheServersTextInOneLine()
    {
        var error = new PostgresException("column \"kiln_inlet_o2\" does not exist", "ERROR", "ERROR", "42703", position: 236);
        var dialect = new PostgresDialect("Host=db.example;Username=po;Database=plant", new DatabaseOptions());

        var text = dialect.Describe(error);

        Assert.Contains("POSITION", error.Message, StringComparison.Ordinal);
        Assert.Equal("42703: column \"kiln_inlet_o2\" does not exist", text);
    }

    [Fact]
    public void Describe_NotAServerError_IsItsMessage()
    {
        var dialect = new PostgresDialect("Host=db.example;Username=po;Database=plant", new DatabaseOptions());

        Assert.Equal("the connection was reset", dialect.Describe(new IOException("the connection was reset")));
    }
}
