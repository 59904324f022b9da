using Npgsql;
using ProcessOptimizer.Scheduling;
using Quartz;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>What <c>/health</c> says of a cluster schedule the database cannot serve, from Quartz's exception.</summary>
public class QuartzReasonTests
{
    [Fact]
    public void Reason_ConnectionTimedOut_IsOneLineWithoutTheInnerStackTrace()
    {
        // Quartz writes the inner exception whole into its own message: with PostgreSQL stopped (SIGSTOP) /health's
        // scheduler error carried Npgsql's stack, about 1,700 characters over 15 lines, to anyone who asked.
        var inner = Thrown(() => throw new NpgsqlException("The operation has timed out", Thrown(() => throw new TimeoutException("The operation has timed out."))));
        var refused = new JobPersistenceException($"Failed to obtain DB connection from data source 'process-optimizer': {inner}", inner);

        var reason = QuartzSchema.Reason(refused);

        Assert.Equal("Failed to obtain DB connection from data source 'process-optimizer': Npgsql.NpgsqlException (0x80004005): The operation has timed out", reason);
    }

    [Fact]
    public void Reason_OneLineMessage_IsTheMessage()
    {
        Assert.Equal("Couldn't acquire next trigger: timeout", QuartzSchema.Reason(new JobPersistenceException("Couldn't acquire next trigger: timeout")));
    }

    private static Exception Thrown(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("nothing was thrown");
    }
}
