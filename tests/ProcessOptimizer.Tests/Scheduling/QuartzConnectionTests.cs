using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using ProcessOptimizer.Hosting;
using Quartz;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// Issue 14 (the seventh fault round's note): the cluster's scheduler connected with the plain connection string,
/// so Npgsql's defaults (a 15 s connect and a 30 s command timeout) held its calls on a hung server far past the
/// service's own call timeout. It is given the service's bounds, unless the connection string sets its own.
/// </summary>
public sealed class QuartzConnectionTests
{
    [Fact]
    public void ClusterScheduler_PlainConnectionString_ConnectsWithTheServicesTimeouts()
    {
        var quartz = QuartzConnection("Host=127.0.0.1;Port=1;Username=po;Database=plant");

        Assert.Equal(4, quartz.Timeout);
        Assert.Equal(4, quartz.CommandTimeout);
        Assert.Equal(500, quartz.CancellationTimeout);
        Assert.Equal("plant", quartz.Database);
    }

    private static NpgsqlConnectionStringBuilder QuartzConnection(string connection)
    {
        // Built, not started: nothing connects.
        var app = ServiceHost.Build(
        [
            "--Urls=http://127.0.0.1:0", "--App:Mode=continuous", "--Demo:Replay=false", "--Solver:Workers=0",
            "--Database:Kind=postgres", "--Database:ConnectionString=" + connection, "--Database:TimeoutSeconds=4",
        ]);
        // Quartz keeps each data source's settings as named options, one name per data source.
        var names = app.Services.GetServices<IConfigureOptions<DataSourceOptions>>().Select(c => c.GetType().GetProperty("Name")?.GetValue(c) as string).OfType<string>().Distinct();
        var monitor = app.Services.GetRequiredService<IOptionsMonitor<DataSourceOptions>>();
        var given = names.Select(n => monitor.Get(n).ConnectionString).OfType<string>().Where(c => c.Length > 0).Distinct().ToList();
        return new NpgsqlConnectionStringBuilder(Assert.Single(given));
    }
}
