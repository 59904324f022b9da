using System.Text.Json.Nodes;

namespace ProcessOptimizer.Tests.Hostile;

/// <summary>Request bodies: a small formula-only inline strategy, and the hostile variations of it.</summary>
internal static class HostileRequests
{
    /// <summary>A strategy of one decision x in [0, 10] with cost (x − 3)², and one input row.</summary>
    public static JsonObject Normal(string formula = "(x - 3) ** 2", JsonObject? solverOptions = null, int decisions = 1, JsonObject? extraSkill = null)
    {
        var variables = new JsonObject { ["cost"] = new JsonObject { ["type"] = "CalculatedKPI" } };
        var inputs = new JsonArray();
        var row = new JsonObject();
        foreach (var name in Enumerable.Range(0, decisions).Select(i => i == 0 ? "x" : $"x{i}"))
        {
            variables[name] = new JsonObject { ["type"] = "Operative", ["threshold"] = 1, ["max_hard_limit"] = 10 };
            inputs.Add(name);
            row[name] = 5.0;
        }

        var optimizer = new JsonObject { ["cost_skill_name"] = "f", ["cost_feature_name"] = "cost" };
        if (solverOptions is not null)
        {
            optimizer["solver_options"] = solverOptions;
        }

        var skills = new JsonObject
        {
            ["f"] = new JsonObject { ["class"] = "MathFunction", ["inputs"] = inputs.DeepClone(), ["outputs"] = new JsonArray("cost"), ["config"] = new JsonObject { ["formula"] = formula } },
            ["opt"] = new JsonObject { ["class"] = "OptimizationSkill", ["inputs"] = inputs.DeepClone(), ["config"] = optimizer },
        };
        if (extraSkill is not null)
        {
            skills["model"] = extraSkill;
        }

        return new JsonObject
        {
            ["input_data"] = row,
            ["config"] = new JsonObject
            {
                ["variables"] = variables,
                ["skills"] = skills,
                ["tasks"] = new JsonArray(new JsonObject { ["name"] = "CalculateRecommendations", ["skill_sequence"] = new JsonArray("opt") }),
            },
        };
    }

    public static JsonObject Options(params (string Name, JsonNode? Value)[] options) =>
        Normal(solverOptions: new JsonObject(options.Select(o => KeyValuePair.Create(o.Name, o.Value))));

    public static JsonObject Model(string modelPath) => Normal(extraSkill: new JsonObject
    {
        ["class"] = "InferenceModel",
        ["inputs"] = new JsonArray("x"),
        ["outputs"] = new JsonArray("cost"),
        ["config"] = new JsonObject { ["model_path"] = modelPath, ["scaler_path"] = "models/Burning_zone_temperature/Burning_zone_temperature_scalers.json" },
    });

    /// <summary>
    /// A request that holds a solver until its deadline within every limit: 100 decisions, a cost of 100 sines,
    /// an unreachable tolerance, 3000 iterations, and a barrier parameter that may only shrink by 1% a step
    /// towards 1e-300, so that IPOPT neither converges nor gives up on a step too small.
    /// </summary>
    public static JsonObject Heavy() => Normal(
        string.Join(" + ", Enumerable.Range(0, 10).Select(g => "(" + string.Join(" + ", Enumerable.Range(g * 10, 10).Select(i => $"sin(3 * {(i == 0 ? "x" : $"x{i}")})")) + ")")),
        new JsonObject
        {
            ["tol"] = 1e-300, ["max_iter"] = 3000, ["acceptable_iter"] = 0, ["mu_strategy"] = "monotone", ["mu_min"] = 1e-300,
            ["mu_linear_decrease_factor"] = 0.99, ["mu_superlinear_decrease_power"] = 1.0001,
        },
        decisions: 100);

    /// <summary>
    /// Compositions c0 … c39, each listing the next twice and the last listing f: a few kilobytes that run 2^40 steps,
    /// as the cost skill (inside every evaluation) or in the task (once a cycle, outside the solver's callbacks).
    /// </summary>
    public static JsonObject Fanned(bool asCostSkill)
    {
        var request = Normal();
        var config = request["config"]!;
        for (var i = 0; i < 40; i++)
        {
            var next = i == 39 ? "f" : $"c{i + 1}";
            config["skills"]![$"c{i}"] = new JsonObject { ["class"] = "CompositionSkill", ["config"] = new JsonObject { ["skill_sequence"] = new JsonArray(next, next) } };
        }

        if (asCostSkill)
        {
            config["skills"]!["opt"]!["config"]!["cost_skill_name"] = "c0";
        }
        else
        {
            config["tasks"]![0]!["skill_sequence"]!.AsArray().Add("c0");
        }

        return request;
    }

    /// <summary>The normal request whose task runs <paramref name="skill"/> <paramref name="times"/> times.</summary>
    public static JsonObject Listed(string skill, int times)
    {
        var request = Normal();
        request["config"]!["tasks"]![0]!["skill_sequence"] = new JsonArray([.. Enumerable.Range(0, times).Select(_ => (JsonNode)JsonValue.Create(skill))]);
        return request;
    }

    /// <summary>The request after <paramref name="change"/>.</summary>
    public static JsonObject Also(this JsonObject request, Action<JsonObject> change)
    {
        change(request);
        return request;
    }

    public static byte[] Json(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());

    public static string Chain(string op, int operators) => string.Join($" {op} ", Enumerable.Repeat("x", operators + 1));
}
