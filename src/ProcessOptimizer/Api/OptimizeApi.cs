using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Results;
using ProcessOptimizer.Storage.Outbox;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Api;

/// <summary><c>POST /optimize</c>: the seed's request and response, on the deployed strategy or an inline one.</summary>
public static class OptimizeApi
{
    public static IEndpointRouteBuilder MapOptimizeApi(this IEndpointRouteBuilder routes)
    {
        foreach (var path in new[] { "/optimize", "/process/optimize" })
        {
            routes.MapPost(path, (HttpRequest request, [AsParameters] OptimizeServices services, CancellationToken cancellationToken) => OptimizeAsync(request, services.Strategies.Default, services, cancellationToken))
                .WithName(path == "/optimize" ? "Optimize" : "OptimizeSeedPath")
                .WithSummary("Recommend setpoints for the given process data with the default strategy")
                .AsOptimize();
        }

        routes.MapStrategyGroup().MapPost("/optimize", async Task<Results<Ok<OptimizeResponse>, ValidationProblem, ProblemHttpResult>> (string name, HttpRequest request, [AsParameters] OptimizeServices services, CancellationToken cancellationToken) =>
                services.Strategies.Find(name) is { } strategy ? await OptimizeAsync(request, strategy, services, cancellationToken).ConfigureAwait(false) : StrategyRoutes.Unknown(services.Strategies, name))
            .WithName("OptimizeStrategy")
            .WithSummary("Recommend setpoints for the given process data with one strategy")
            .AsOptimize();
        return routes;
    }

    // Every path of /optimize takes and answers the same: 401 or 403 for an inline strategy the rule refuses, 422 for
    // a cycle that cannot run on the input or a solve too costly for its worker, 503 for a solver that is busy, not
    // ready or not installed, no strategy, a run that cannot be stored, or a shutdown.
    private static RouteHandlerBuilder AsOptimize(this RouteHandlerBuilder route) => route
        .WithDescription(Description)
        .Accepts<JsonElement>("application/json")
        .Produces<OptimizeResponse>()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    // The dependency monitor tries the database and the outbox's folder every 2 s; a few rounds is a fair wait.
    private const int RunNotKeptRetrySeconds = 10;

    private const string Description = "Body: {input_data, config?}. input_data is one row {tag: value} or a list of {timestamp, data} rows; config is a whole strategy, else the deployed one is used. The answer is stored under the strategy's name plus /api.";

    // The answer is computed: its record is kept even if the client goes away now. Shutdown ends a wait for the
    // database (a hang) and the run goes to the outbox, so the answer is given before the host lets go of its services.
    // On-demand answers are stored under their own name, so the loop's last-run timestamp ignores them.
    private static Task<RunReceipt> RecordAsync(RunRecorder recorder, StrategyRuntime strategy, DeployedStrategy deployed, CycleInput input, CycleResult result, DateTimeOffset started, TimeProvider time, CancellationToken stopping) =>
        recorder.RecordAsync(RunRecords.Of(result, strategy.ApiRunsName, deployed, input.Rows[^1].Timestamp, started) with { FinishedAt = time.GetUtcNow() }, hold: false, stopping);

    private static async Task<Results<Ok<OptimizeResponse>, ValidationProblem, ProblemHttpResult>> OptimizeAsync(
        HttpRequest request, StrategyRuntime target, OptimizeServices services, CancellationToken cancellationToken)
    {
        // Shutdown stops a request wherever it waits (reading the body, a strategy loading after a cleared cache, a
        // solve slot, a solve) and answers it at once, well within the host's shutdown timeout: a request answered
        // after the host has let go of its services could not be answered at all.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, services.Lifetime.ApplicationStopping);
        try
        {
            return await AnswerAsync(request, target, services, stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (services.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return ShuttingDown(request, services.App);
        }
        catch (SolverUnavailableException ex)
        {
            // Found wherever the solver is first needed (an inline strategy's options, the solve): nothing was solved or stored.
            return SolverUnavailable.Problem(ex);
        }
    }

    private static async Task<Results<Ok<OptimizeResponse>, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        HttpRequest request, StrategyRuntime target, OptimizeServices services, CancellationToken cancellationToken)
    {
        var (strategies, time) = (target.Repository, services.Time);
        var started = time.GetUtcNow();

        // An inline strategy borrows models that the cache and the live version own; leasing the live version
        // keeps a version switch from disposing them before this request is done.
        using var live = strategies.Current?.Lease();
        CycleInput? input;
        JsonElement? body = null;
        using (var bytes = await RequestBytes.ReadAsync(request, cancellationToken).ConfigureAwait(false))
        {
            // The usual body, the window alone, is read in one pass; any other, or one that is not valid, the full
            // way, which names what is wrong and where.
            input = WindowBodyReader.TryRead(bytes.Memory.Span);
            if (input is null)
            {
                var (parsed, malformed) = JsonBody.Parse(bytes.Memory);
                if (malformed is not null)
                {
                    return TypedResults.ValidationProblem(malformed);
                }

                body = parsed;
            }
        }

        DeployedStrategy? inline = null;
        string? inlineText = null;
        if (input is null)
        {
            var read = await ReadFullAsync(body, request, strategies, services, cancellationToken).ConfigureAwait(false);
            if (read.Refusal is { } refusal)
            {
                return refusal;
            }

            (input, inline, inlineText) = (read.Input!, read.Inline, read.InlineText);
        }

        DeployedStrategy deployed;
        try
        {
            deployed = inline ?? await strategies.CurrentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StrategyVersionException or StorageException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No strategy is available", detail: ex.Message);
        }

        using var lease = deployed.Lease();
        if (UnknownTags(input, deployed) is { } unknown)
        {
            return TypedResults.ValidationProblem(UnknownTagErrors(unknown, deployed.Version));
        }

        // The whole wait (for a place in the queue, a worker that is starting or building the strategy, the solve) ends
        // at the request's deadline and the grace, counted from here, however many requests wait before it: an answer
        // comes within what the client was told to expect, and a worker that hangs holds up no request for longer.
        var bound = WorkerPool.AnswerBy(services.App.ApiMaxSolveSeconds);
        using var late = new CancellationTokenSource(bound, time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, late.Token);

        // Loop cycles go first and only a few requests wait; the rest are told when to come back.
        var slot = services.Queue.TryEnterApiAsync(waiting.Token);
        if (slot is null)
        {
            request.HttpContext.Response.Headers.RetryAfter = services.App.ApiMaxSolveSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The solver is busy",
                detail: $"{services.App.ApiMaxQueuedRequests} requests are already waiting for the solver (Api:MaxQueuedRequests); retry later");
        }

        CycleResult result;
        try
        {
            result = await services.Executor.SolveAsync(slot, deployed, inlineText, input, services.App.ApiMaxSolveSeconds, waiting.Token).ConfigureAwait(false);
        }
        catch (SolverLateException ex)
        {
            return NotReady(request, services.App, ex.Message);
        }
        catch (OperationCanceledException) when (late.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return NotReady(request, services.App, NoAnswerWithin(bound));
        }
        catch (SolverWorkerException ex)
        {
            // A crash says nothing about the request, so it may be retried; memory and deadline say it costs too much.
            return TypedResults.Problem(
                statusCode: ex.Reason == WorkerFailure.Crashed ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status422UnprocessableEntity,
                title: SolverWorkerException.Describe(ex.Reason),
                detail: ex.Message,
                extensions: new Dictionary<string, object?> { ["status_text"] = "error", ["error"] = SolverWorkerException.Describe(ex.Reason) });
        }

        if (late.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // An in-process solve that began late in the wait was cut short at the bound: that is no answer either.
            return NotReady(request, services.App, NoAnswerWithin(bound));
        }

        if (services.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // A solve cut short by shutdown is not an answer, and the database may already be closing.
            return ShuttingDown(request, services.App);
        }

        // The client left during the solve, which an in-process solve obeys at its next callback: its cut-short
        // result is no answer, and nobody is there to take one, so nothing is stored, as through a worker.
        cancellationToken.ThrowIfCancellationRequested();

        RunReceipt receipt;
        try
        {
            receipt = await RecordAsync(services.Recorder, target, deployed, input, result, started, time, services.Lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        catch (OutboxException ex)
        {
            // Every answer is recorded; one that cannot be is not given, so that nobody acts on a run with no record.
            request.HttpContext.Response.Headers.RetryAfter = RunNotKeptRetrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The run cannot be stored",
                detail: $"The database did not take the run and {ex.Message}. The answer is not kept; ask again later.",
                extensions: new Dictionary<string, object?> { ["status_text"] = "error", ["error"] = "run not stored", ["outbox"] = ex.Outbox, ["reason"] = ex.Reason });
        }

        var response = ResponseMapper.Map(result, time.GetUtcNow(), deployed.Version);
        return response is OptimizeResponse ok
            ? TypedResults.Ok(ok with { RunId = receipt.Id, RunPending = receipt.Pending })
            : TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The optimization could not run on this input",
                detail: result.Error,
                extensions: new Dictionary<string, object?> { ["status_text"] = "error", ["error"] = result.Error, ["error_type"] = ((ErrorResponse)response).ErrorType, ["warnings"] = result.Warnings, ["run_id"] = receipt.Id, ["run_pending"] = receipt.Pending });
    }

    // Whatever held the request up (the queue, a worker starting or building the strategy, a solve that hangs):
    // come back. A worker that is not done goes on, and one whose solve hangs is killed and replaced.
    private static ProblemHttpResult NotReady(HttpRequest request, AppSettings app, string detail)
    {
        request.HttpContext.Response.Headers.RetryAfter = app.ApiMaxSolveSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "The solver is not ready",
            detail: detail,
            extensions: new Dictionary<string, object?> { ["status_text"] = "error", ["error"] = "solver not ready" });
    }

    private static string NoAnswerWithin(TimeSpan bound) =>
        $"no answer within {bound.TotalSeconds:G4} s of asking for the solver (Api:MaxSolveSeconds and {WorkerPool.AnswerGrace.TotalSeconds:G4} s), counting the wait for a solver; retry later";

    // A body that is not the window alone: an inline strategy, or something to refuse with every field's problem.
    private static async Task<FullRead> ReadFullAsync(JsonElement? body, HttpRequest request, StrategyRepository strategies, OptimizeServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (body is not { ValueKind: JsonValueKind.Object } root)
        {
            return new(TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["must be an object {input_data, config?}"] }));
        }

        if (!root.TryGetProperty("input_data", out var inputData) || inputData.ValueKind == JsonValueKind.Null)
        {
            errors["input_data"] = ["is required: one row {tag: value} or a list of {timestamp, data} rows"];
        }

        DeployedStrategy? inline = null;
        string? inlineText = null;
        if (root.TryGetProperty("config", out var config) && config.ValueKind != JsonValueKind.Null)
        {
            if (InlineRefusal(request, services.App) is { } refusal)
            {
                return new(refusal);
            }

            var (strategy, problems) = config.ValueKind == JsonValueKind.Object
                ? StrategyLoader.Read(config.GetRawText(), services.Solver.ValidateOption, StrategyLimits.Inline)
                : (null, [new StrategyProblem("must be a strategy object", null)]);
            if (strategy is null)
            {
                errors["config"] = [.. problems.Where(p => !p.IsWarning).Select(p => p.ToString())];
            }
            else
            {
                try
                {
                    inline = await strategies.BuildAsync("inline", strategy, problems, cancellationToken).ConfigureAwait(false);
                    inlineText = config.GetRawText();
                }
                catch (StrategyVersionException ex)
                {
                    errors["config"] = [.. ex.Problems.Select(p => p.ToString())];
                }
            }
        }

        CycleInput? input = null;
        if (!errors.ContainsKey("input_data"))
        {
            try
            {
                input = InputParser.Parse(inputData);
            }
            catch (InputException ex)
            {
                errors["input_data"] = [ex.Message];
            }
        }

        // Without an error, input_data was read.
        return errors.Count > 0 || input is null ? new(TypedResults.ValidationProblem(errors)) : new(null, input, inline, inlineText);
    }

    private readonly record struct FullRead(Results<Ok<OptimizeResponse>, ValidationProblem, ProblemHttpResult>? Refusal, CycleInput? Input = null, DeployedStrategy? Inline = null, string? InlineText = null);

    // Every row names the same few tags: each distinct one is looked up once (the kiln window's 90 rows of 14 tags
    // take 14 look-ups, not 1,260), and a set is built only when one of them is not a variable.
    private static SortedSet<string>? UnknownTags(CycleInput input, DeployedStrategy deployed)
    {
        SortedSet<string>? unknown = null;
        foreach (var tag in TagNumbers.In(input.Rows).Names)
        {
            if (!deployed.Definition.Variables.ContainsKey(tag))
            {
                (unknown ??= new SortedSet<string>(StringComparer.Ordinal)).Add(tag);
            }
        }

        return unknown;
    }

    // An answer names the first few tags it refuses, not every one a 4 MB body can hold (100,000 made a 13 MB answer).
    private static Dictionary<string, string[]> UnknownTagErrors(SortedSet<string> unknown, string version)
    {
        const int Listed = 20;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var tag in unknown.Take(Listed))
        {
            errors.TryAdd($"input_data.{Echo.Short(tag)}", [$"'{Echo.Short(tag)}' is not a variable of strategy {version}"]);
        }

        if (unknown.Count > Listed)
        {
            errors["input_data"] = [$"{unknown.Count - Listed} more tags are not variables of strategy {version}"];
        }

        return errors;
    }

    // Shutdown stops solves in flight and queued: they are told to come back, to this replica or another.
    private static ProblemHttpResult ShuttingDown(HttpRequest request, AppSettings app)
    {
        request.HttpContext.Response.Headers.RetryAfter = app.ApiMaxSolveSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The service is shutting down", detail: "The solve was stopped by the shutdown; retry later");
    }

    // Api:InlineStrategies: an inline strategy is arbitrary work for the solver, so a deployment can require the key or refuse it.
    private static ProblemHttpResult? InlineRefusal(HttpRequest request, AppSettings app) => app.InlineStrategyRule switch
    {
        "deny" => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Inline strategies are not accepted (Api:InlineStrategies is 'deny')", detail: "Send input_data without config to use the deployed strategy."),
        "key" when !ApiKey.Matches(request, app.ApiKey!) => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: $"An inline strategy needs a valid {ApiKey.Header} header (Api:InlineStrategies is 'key')", detail: $"The request has a config but {(request.Headers.ContainsKey(ApiKey.Header) ? $"a wrong {ApiKey.Header}" : $"no {ApiKey.Header} header")}; send input_data without config to use the deployed strategy."),
        _ => null,
    };
}
