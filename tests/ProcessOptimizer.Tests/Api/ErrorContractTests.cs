using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Tests.Workers;

namespace ProcessOptimizer.Tests.Api;

/// <summary>
/// The API's contract says what the API does. Each endpoint is sent the requests that provoke each of its failure
/// answers (unknown names and ids, malformed versions, bad bodies and query values, a missing key, a body over the
/// size limit, a busy solver), and every answer must be (a) declared for its operation in the OpenAPI document with
/// its content type, and (b) when it is an error, an <c>application/problem+json</c> ProblemDetails with a title, a
/// detail that names what is wrong, and the original service's error fields. The document had no 422 or 404 for the
/// version switch nor a 404 for <c>/strategies/{name}/runs</c>, and 404s were written as plain JSON or with no detail.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class ErrorContractTests : IAsyncLifetime
{
    private const string Key = "contract-key-5d2";

    private const string Unknown = "no-such-strategy";

    private const string Default = "process-optimization";

    // One row with one tag of the kiln strategy: the cycle cannot run without the others, which the answer names as missing.
    private const string PartialRow = """{"input_data": {"Kiln_Coal_PV": 11.38}}""";

    private WorkerHost _host = null!;

    /// <summary>A request, the operation it is for (the document's path), and the answer and words it must provoke.</summary>
    private sealed record Case(string Method, string Operation, string Path, string? Body, bool WithKey, int Status, string Names)
    {
        public override string ToString() => $"{Method} {Path} {(Body is { Length: > 60 } ? Body[..60] + "…" : Body)}{(WithKey ? "" : " (no key)")}";
    }

    private static IEnumerable<Case> Cases()
    {
        // Names, ids and query values.
        yield return new("GET", "/strategies/{name}", $"/strategies/{Unknown}", null, false, 404, Unknown);
        yield return new("GET", "/strategies/{name}/runs", $"/strategies/{Unknown}/runs", null, false, 404, Unknown);
        yield return new("GET", "/strategies/{name}/runs/latest", $"/strategies/{Unknown}/runs/latest", null, false, 404, Unknown);
        yield return new("GET", "/strategies/{name}/runs", $"/strategies/{Default}/runs?limit=0", null, false, 400, "limit");
        yield return new("GET", "/strategies/{name}/runs", $"/strategies/{Default}/runs?to=x", null, false, 400, "to");
        yield return new("GET", "/strategies/{name}/status", $"/strategies/{Unknown}/status", null, false, 404, Unknown);
        yield return new("GET", "/strategies/{name}/trends", $"/strategies/{Unknown}/trends", null, false, 404, Unknown);
        yield return new("GET", "/strategies/{name}/trends", $"/strategies/{Default}/trends?points=1", null, false, 400, "points");
        yield return new("GET", "/strategies/{name}/versions/{version}", $"/strategies/{Unknown}/versions/1.0.0", null, false, 404, Unknown);
        yield return new("GET", "/strategies/{name}/versions/{version}", $"/strategies/{Default}/versions/9.9.9", null, false, 404, "9.9.9");
        yield return new("GET", "/strategies/{name}/versions/{version}", $"/strategies/{Default}/versions/a%20b", null, false, 400, "version");
        yield return new("GET", "/runs", $"/runs?strategy={Unknown}", null, false, 404, Unknown);
        yield return new("GET", "/runs", "/runs?limit=0", null, false, 400, "limit");
        yield return new("GET", "/runs", "/runs?from=yesterday", null, false, 400, "from");
        yield return new("GET", "/runs/latest", $"/runs/latest?strategy={Unknown}", null, false, 404, Unknown);
        // The service runs no loop here, so the default strategy has no run yet.
        yield return new("GET", "/runs/latest", "/runs/latest", null, false, 404, Default);
        yield return new("GET", "/runs/{id}", "/runs/999999", null, false, 404, "999999");
        yield return new("GET", "/runs/{id}/recommendation", "/runs/999999/recommendation", null, false, 404, "999999");
        yield return new("GET", "/backtests/{id}", "/backtests/999999", null, false, 404, "999999");
        yield return new("GET", "/backtests/{id}/steps", "/backtests/999999/steps", null, false, 404, "999999");
        yield return new("GET", "/backtests/{id}/steps", "/backtests/999999/steps?limit=0", null, false, 400, "limit");
        yield return new("GET", "/backtests/{id}/report", "/backtests/999999/report", null, false, 404, "999999");
        yield return new("DELETE", "/backtests/{id}", "/backtests/999999", null, true, 404, "999999");
        yield return new("DELETE", "/backtests/{id}", "/backtests/999999", null, false, 401, "X-Api-Key");

        // The version switch at each of its paths.
        foreach (var (operation, path) in new[] { ("/strategy/version", "/strategy/version"), ("/strategy-version-update", "/strategy-version-update"), ("/process/strategy-version-update", "/process/strategy-version-update"), ("/strategies/{name}/version", $"/strategies/{Default}/version") })
        {
            yield return new("PUT", operation, path, """{"version": "1.0.0"}""", false, 401, "X-Api-Key");
            yield return new("PUT", operation, path, """{"version": "9.9.9"}""", true, 422, "9.9.9");
            yield return new("PUT", operation, path, """{"version": "../x"}""", true, 400, "version");
            yield return new("PUT", operation, path, "{", true, 400, "body");
            yield return new("PUT", operation, path, "{}", true, 400, "version");
        }

        yield return new("PUT", "/strategies/{name}/version", $"/strategies/{Unknown}/version", """{"version": "1.0.0"}""", true, 404, Unknown);

        // Optimize at each of its paths.
        foreach (var (operation, path) in new[] { ("/optimize", "/optimize"), ("/process/optimize", "/process/optimize"), ("/strategies/{name}/optimize", $"/strategies/{Default}/optimize") })
        {
            yield return new("POST", operation, path, "{", false, 400, "body");
            yield return new("POST", operation, path, "{}", false, 400, "input_data");
            yield return new("POST", operation, path, """{"input_data": {"no_such_tag": 1}}""", false, 400, "no_such_tag");
            yield return new("POST", operation, path, """{"input_data": {"x": 1}, "config": {}}""", false, 401, "X-Api-Key");
            yield return new("POST", operation, path, PartialRow, false, 422, "(missing)");
        }

        yield return new("POST", "/strategies/{name}/optimize", $"/strategies/{Unknown}/optimize", PartialRow, false, 404, Unknown);

        // Admin endpoints without their key, and backtests.
        yield return new("POST", "/cache/clear", "/cache/clear", null, false, 401, "X-Api-Key");
        yield return new("POST", "/process/cache/clear", "/process/cache/clear", null, false, 401, "X-Api-Key");
        const string Range = """{"from": "2026-01-02T00:00:00Z", "to": "2026-01-03T00:00:00Z"}""";
        yield return new("POST", "/strategies/{name}/backtests", $"/strategies/{Unknown}/backtests", Range, true, 404, Unknown);
        yield return new("POST", "/strategies/{name}/backtests", $"/strategies/{Default}/backtests", Range, false, 401, "X-Api-Key");
        yield return new("POST", "/strategies/{name}/backtests", $"/strategies/{Default}/backtests", "{}", true, 400, "from");
    }

    // The server's minimum body rate with a grace of 2 s (it takes no less than a second) instead of 5: a stalled body is refused sooner.
    public async Task InitializeAsync() =>
        _host = await WorkerHost.StartAsync(
            b => b.WebHost.ConfigureKestrel(k => k.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(2))),
            "--Solver:Workers=0", "--Api:Key=" + Key, "--Api:MaxQueuedRequests=0");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FailureAnswers_OfEveryEndpoint_AreDeclaredAndAreProblemsNamingWhatIsWrong()
    {
        var document = await DocumentAsync();
        var failures = new List<string>();

        foreach (var request in Cases())
        {
            await CheckAsync(document, request, () => SendAsync(request, Encoding.UTF8.GetBytes(request.Body ?? "")), failures);
        }

        // A body over the 4 MB limit, refused by the server as it reads it.
        var large = new byte[(4 << 20) + 1];
        foreach (var request in new Case[] { new("POST", "/optimize", "/optimize", null, false, 413, "body"), new("PUT", "/strategy/version", "/strategy/version", null, true, 413, "body") })
        {
            await CheckAsync(document, request, () => SendAsync(request, large), failures);
        }

        // A busy solver: its only slot held, and no request may wait (Api:MaxQueuedRequests=0).
        var queue = _host.App.Services.GetRequiredService<SolveQueue>();
        using (await queue.TryEnterApiAsync(CancellationToken.None)!)
        {
            var window = JsonSerializer.Serialize(WorkerHost.KilnBody());
            foreach (var (operation, path) in new[] { ("/optimize", "/optimize"), ("/strategies/{name}/optimize", $"/strategies/{Default}/optimize") })
            {
                var request = new Case("POST", operation, path, window, false, 503, "Api:MaxQueuedRequests");
                await CheckAsync(document, request, () => SendAsync(request, Encoding.UTF8.GetBytes(window)), failures);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} answers break the contract:\n" + string.Join("\n", failures));
    }

    // A body that stops arriving part-way is refused at the server's minimum data rate. The answer was not declared.
    [Theory]
    [InlineData("POST", "/optimize", false)]
    [InlineData("POST", "/strategies/{name}/optimize", false)]
    [InlineData("PUT", "/strategy/version", true)]
    public async Task StalledBody_Is408DeclaredAsAProblemNamingTheRate(string method, string operation, bool withKey)
    {
        var document = await DocumentAsync();
        var request = new Case(method, operation, operation.Replace("{name}", Default, StringComparison.Ordinal), null, withKey, 408, "too slowly");
        var failures = new List<string>();

        await CheckAsync(document, request, () => StallAsync(request), failures);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // Not operations of the document, but answers of the API all the same: the status-code pages wrote the status alone.
    [Theory]
    [InlineData("GET", "/runs/not-a-number", 404)]
    [InlineData("GET", "/no/such/path", 404)]
    [InlineData("DELETE", "/optimize", 405)]
    public async Task RouteMiss_IsAProblemNamingTheMethodAndPath(string method, string path, int status)
    {
        using var response = await _host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        var faults = ProblemFaults(response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), status, $"{path}").ToList();
        Assert.True(faults.Count == 0, string.Join("; ", faults));
    }

    [Fact]
    public async Task Document_EveryDeclaredError_IsAProblem()
    {
        var document = await DocumentAsync();
        var failures = new List<string>();

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => int.TryParse(r.Name, out var code) && code >= 400))
                {
                    // Health reports itself at 503 as at 200: it is the answer, not an error about the request.
                    var health = path.Name is "/health" or "/process/health";
                    var types = response.Value.TryGetProperty("content", out var content) ? content.EnumerateObject().Select(c => c.Name).ToList() : [];
                    if (!health && types is not ["application/problem+json"])
                    {
                        failures.Add($"{operation.Name.ToUpperInvariant()} {path.Name} {response.Name}: declared as [{string.Join(", ", types)}]");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task<JsonElement> DocumentAsync() =>
        JsonDocument.Parse(await _host.Client.GetStringAsync("/openapi/v1.json")).RootElement;

    private async Task<HttpResponseMessage> SendAsync(Case request, byte[] body)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Body is not null || body.Length > 0)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        if (request.WithKey)
        {
            message.Headers.Add("X-Api-Key", Key);
        }

        if (body.Length <= 1 << 20)
        {
            return await _host.Client.SendAsync(message);
        }

        // The server answers 413 from the declared length, before it asks for the body: the client waits for that
        // answer however long a loaded machine takes, and sends no body, whose writing the server would cut short.
        message.Headers.ExpectContinue = true;
        using var patient = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) }) { BaseAddress = _host.Client.BaseAddress };
        return await patient.SendAsync(message);
    }

    // Sends the headers and the start of a body declared longer, then nothing, and reads the answer the server gives
    // before it closes the connection. HttpClient would wait to finish sending the body before reading any answer.
    private async Task<HttpResponseMessage> StallAsync(Case request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_host.Client.BaseAddress!.Host, _host.Client.BaseAddress.Port);
        var stream = tcp.GetStream();
        var key = request.WithKey ? $"X-Api-Key: {Key}\r\n" : "";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{request.Method} {request.Path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{key}Content-Length: 1000\r\n\r\n{{\"input_data\": "));
        using var answer = new MemoryStream();
        // Generous for a loaded machine: the server checks the rate once a second after the grace.
        await stream.CopyToAsync(answer).WaitAsync(TimeSpan.FromSeconds(60));
        return RawAnswer.Parse(answer.ToArray());
    }

    private static async Task CheckAsync(JsonElement document, Case request, Func<Task<HttpResponseMessage>> send, List<string> failures)
    {
        using var response = await send();
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        var type = response.Content.Headers.ContentType?.MediaType;
        var problems = new List<string>();
        if (status != request.Status)
        {
            problems.Add($"answered {status}, expected {request.Status}");
        }

        if (!document.GetProperty("paths").TryGetProperty(request.Operation, out var path) || !path.TryGetProperty(request.Method.ToLowerInvariant(), out var operation))
        {
            problems.Add($"the document has no operation {request.Method} {request.Operation}");
        }
        else if (!operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var declared))
        {
            problems.Add($"{status} is not declared (declared: {string.Join(", ", operation.GetProperty("responses").EnumerateObject().Select(r => r.Name))})");
        }
        else if (text.Length > 0 && !(declared.TryGetProperty("content", out var content) && content.TryGetProperty(type ?? "", out _)))
        {
            problems.Add($"{status} is declared without its content type {type}");
        }

        if (status >= 400)
        {
            problems.AddRange(ProblemFaults(type, text, status, request.Names));
        }

        if (problems.Count > 0)
        {
            failures.Add($"{request}: {string.Join("; ", problems)} | {(text.Length > 300 ? text[..300] + "…" : text)}");
        }
    }

    private static IEnumerable<string> ProblemFaults(string? type, string text, int status, string names)
    {
        if (type != "application/problem+json")
        {
            yield return $"content type {type ?? "(none)"}, not application/problem+json";
        }

        if (Parse(text) is not { ValueKind: JsonValueKind.Object } problem)
        {
            yield return "the body is not a JSON object";
            yield break;
        }

        string? Text(string name) => problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (string.IsNullOrWhiteSpace(Text("title")))
        {
            yield return "no title";
        }

        if (Text("detail") is not { Length: > 0 } detail)
        {
            yield return "no detail";
        }
        else if (!detail.Contains(names, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"the detail does not name '{names}'";
        }

        if (!problem.TryGetProperty("status", out var code) || code.ValueKind != JsonValueKind.Number || code.GetInt32() != status)
        {
            yield return "no status, or another than the answer's";
        }

        // The original service's fields, which its clients print.
        if (string.IsNullOrWhiteSpace(Text("error")) || Text("status_text") != "error" || Text("timestamp") is null)
        {
            yield return "without the original's error, status_text and timestamp";
        }
    }

    private static JsonElement? Parse(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
