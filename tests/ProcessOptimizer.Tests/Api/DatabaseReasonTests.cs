using ProcessOptimizer.Api;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Tests.Api;

/// <summary>The database's reason in /health: a known lasting cause is not hidden by a passing failure.</summary>
public class DatabaseReasonTests
{
    private const string ReadOnly = "postgres db is read-only (its transactions take no writes)";

    [Fact]
    public void Of_ReadOnlyDatabaseWhoseProbeIsLate_NamesTheLateProbeAndTheReadOnlyCause()
    {
        var late = new DependencyState(false, "postgres db has not answered for 0.9 s", null, false);

        Assert.Equal("postgres db has not answered for 0.9 s; when it last answered, " + ReadOnly, DatabaseReason.Of(late, true, ReadOnly, null));
    }

    [Fact]
    public void Of_ReadOnlyDatabaseAnswering_NamesTheReadOnlyCause()
    {
        Assert.Equal(ReadOnly, DatabaseReason.Of(DependencyState.Unknown, true, ReadOnly, null));
    }

    [Fact]
    public void Of_WritableDatabaseFailing_NamesTheFailureAlone()
    {
        var down = new DependencyState(false, "postgres db: connection refused", null, true);

        Assert.Equal("postgres db: connection refused", DatabaseReason.Of(down, true, null, null));
    }

    [Fact]
    public void Of_HealthyDatabase_IsNull_AndOneWithoutTables_SaysSo()
    {
        Assert.Null(DatabaseReason.Of(DependencyState.Unknown, true, null, null));
        Assert.Equal("the schema is not created yet", DatabaseReason.Of(DependencyState.Unknown, false, null, null));
    }
}
