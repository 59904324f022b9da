using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>The real host with solver workers: the bundled kiln store, a SQLite file of its own, the API only.</summary>
internal sealed class WorkerHost : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("po-workers-").FullName;

    private WorkerHost()
    {
    }

    public WebApplication App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Every log entry the host wrote.</summary>
    public Hosting.CapturedLog Log { get; } = new();

    public WorkerPool Pool => App.Services.GetRequiredService<WorkerPool>();

    public static Task<WorkerHost> StartAsync(params string[] settings) => StartAsync(_ => { }, settings);

    /// <param name="configure">Changes to the host's registrations (a test's solver), made after the service's own.</param>
    public static async Task<WorkerHost> StartAsync(Action<WebApplicationBuilder> configure, params string[] settings)
    {
        var host = new WorkerHost();
        host.App = ServiceHost.Build(
        [
            "--Urls=http://127.0.0.1:0", "--App:Mode=api", "--Demo:Replay=false",
            "--Database:ConnectionString=Data Source=" + Path.Combine(host._folder, "runs.db"), .. settings,
        ], builder =>
        {
            builder.Logging.AddProvider(host.Log);
            configure(builder);
        });
        await ServiceHost.InitializeAsync(host.App, CancellationToken.None);
        await host.App.StartAsync();
        await WarmAsync(host.App.Services);
        var address = host.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Client = new HttpClient { BaseAddress = new Uri(address) };
        return host;
    }

    /// <summary>
    /// Waits until every solver worker of the host has started and built the deployed strategies (at once without
    /// workers): a request sent before then may be answered 503 at its deadline on a loaded machine.
    /// </summary>
    public static async Task WarmAsync(IServiceProvider services)
    {
        if (services.GetService<WorkerPool>() is not { } pool)
        {
            return;
        }

        for (var waited = System.Diagnostics.Stopwatch.StartNew(); pool.Workers.Any(w => w.Pid is null); await Task.Delay(50))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(180))
            {
                throw new TimeoutException("the solver workers did not start within 180 s");
            }
        }
    }

    /// <summary>The kiln's latest window as an /optimize body for the deployed strategy.</summary>
    public static object KilnBody()
    {
        var input = InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        return new { input_data = input.Rows.Select(r => new { timestamp = r.Timestamp, data = r.Values }) };
    }

    public Task<HttpResponseMessage> OptimizeAsync() => Client.PostAsJsonAsync("/optimize", KilnBody());

    /// <summary>Posts <paramref name="body"/> to <c>/optimize</c>, with <paramref name="key"/> in <c>X-Api-Key</c> when given.</summary>
    public Task<HttpResponseMessage> OptimizeAsync(System.Text.Json.Nodes.JsonNode body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/optimize") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add(global::ProcessOptimizer.Api.ApiKey.Header, key);
        }

        return Client.SendAsync(request);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, at most 20 s.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !condition(); await Task.Delay(10))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"waited 20 s for {what}");
            }
        }
    }

    /// <summary>How a solve handed to a worker ended, waiting at most 60 s: with an answer, or with its worker killed.</summary>
    public static async Task<(SolveReply? Reply, SolverWorkerException? Killed)> EndedAsync(Task<SolveReply> outcome)
    {
        try
        {
            return (await outcome.WaitAsync(TimeSpan.FromSeconds(60)), null);
        }
        catch (SolverWorkerException ex)
        {
            return (null, ex);
        }
    }

    /// <summary>Worker process ids once every worker has started.</summary>
    public async Task<IReadOnlyList<int>> PidsAsync()
    {
        while (Pool.Workers.Any(w => w.Pid is null))
        {
            await Task.Delay(20);
        }

        return [.. Pool.Workers.Select(w => w.Pid!.Value)];
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
