using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>
/// Maps a YAML tree in the seed's strategy format to a <see cref="Strategy"/>, collecting every local
/// problem (missing keys, wrong types, unknown classes, duplicate keys). Cross-references are checked
/// afterwards by <see cref="StrategyValidator"/>.
/// </summary>
internal sealed class StrategyReader(ProblemList problems, StrategyLimits limits)
{
    public SourceMap Map { get; } = new();

    /// <summary>A size limit was exceeded; what was read is incomplete.</summary>
    public bool TooLarge { get; private set; }

    // Sections of the seed's file that the service does not use, accepted so old files load unchanged.
    private static readonly HashSet<string> KnownSections =
        ["variables", "weights", "skills", "tasks", "constraint_limits", "display_variables", "input_values", "meta", "name", "version", "description"];

    private readonly YamlFields _fields = new(problems);

    public Strategy Read(YamlNode root)
    {
        _fields.CheckDuplicates(root);
        var document = _fields.Mapping(root, "the strategy document") ?? new YamlMapping(root.Location, []);
        foreach (var (key, _) in YamlFields.Entries(document))
        {
            if (!KnownSections.Contains(key.Value))
            {
                problems.Warning(key.Location, $"unknown section '{key.Value}' is ignored");
            }
        }

        if (document["variables"] is null)
        {
            problems.Error(document.Location, "missing required section 'variables'");
        }

        if (TooMany(document["variables"], limits.MaxVariables, "variables", nameof(limits.MaxVariables))
            | TooMany(document["skills"], limits.MaxSkills, "skills", nameof(limits.MaxSkills)))
        {
            return new Strategy(new Dictionary<string, Variable>(), new Dictionary<string, double>(), new Dictionary<string, Skill>(), []);
        }

        var strategy = new Strategy(ReadVariables(document["variables"]), ReadWeights(document["weights"]), ReadSkills(document["skills"]), ReadTasks(document["tasks"]));
        var decisions = strategy.SkillsOf<OptimizationSkill>().Sum(o => o.Inputs.Count);
        var constraints = strategy.SkillsOf<ConstraintsSkill>().Sum(c => c.Template.Count);
        Limit(decisions, limits.MaxDecisionVariables, strategy.SkillsOf<OptimizationSkill>().FirstOrDefault()?.Location, "decision variables (inputs of OptimizationSkills)", nameof(limits.MaxDecisionVariables));
        Limit(constraints, limits.MaxConstraints, strategy.SkillsOf<ConstraintsSkill>().FirstOrDefault()?.Location, "constraints (template rows)", nameof(limits.MaxConstraints));
        return strategy;
    }

    // Counted on the YAML tree, before a single variable or skill is built.
    private bool TooMany(YamlNode? section, int limit, string name, string setting) =>
        section is YamlMapping mapping && Limit(mapping.Entries.Count, limit, mapping.Location, $"entries under '{name}'", setting);

    private bool Limit(int count, int limit, SourceLocation? location, string what, string setting)
    {
        if (count <= limit)
        {
            return false;
        }

        TooLarge = true;
        problems.Error(location, $"the strategy has {count} {what}; the limit is {limit} ({setting})");
        return true;
    }

    private Dictionary<string, Variable> ReadVariables(YamlNode? node)
    {
        var variables = new Dictionary<string, Variable>(StringComparer.Ordinal);
        foreach (var (key, value) in YamlFields.Entries(_fields.Mapping(node, "'variables'")))
        {
            var what = $"variable '{key.Value}'";
            var body = _fields.Mapping(value, what);
            var typeText = _fields.String(body, "type", what, required: true);
            VariableType type = VariableType.Informative;
            if (typeText is not null && !Enum.TryParse(typeText, ignoreCase: false, out type))
            {
                problems.Error(body?["type"]?.Location, $"{what}: unknown type '{typeText}' (expected one of {string.Join(", ", Enum.GetNames<VariableType>())})");
            }

            var min = _fields.Number(body, "min_hard_limit", what) ?? 0;
            var max = _fields.Number(body, "max_hard_limit", what) ?? 1000;
            var threshold = _fields.Number(body, "threshold", what) ?? 0;
            if (min > max)
            {
                problems.Error(body?["min_hard_limit"]?.Location ?? key.Location, $"{what}: min_hard_limit {min:R} is greater than max_hard_limit {max:R}");
            }

            if (threshold < 0)
            {
                problems.Error(body?["threshold"]?.Location, $"{what}: threshold {threshold:R} is negative");
            }

            var units = _fields.String(body, "units", what, required: false) ?? "";
            CheckLength(key.Value, "name", what, key.Location);
            CheckLength(units, "units", what, body?["units"]?.Location);
            variables[key.Value] = new Variable(key.Value, type, units, threshold, min, max, key.Location);
        }

        return variables;
    }

    // Names and units are stored with every run: a request of 400 names of 4,900 characters stored 4 MB each time.
    private void CheckLength(string text, string field, string what, SourceLocation? location)
    {
        if (text.Length > StrategyLimits.MaxNameLength)
        {
            problems.Error(location, $"{what}: its {field} is {text.Length} characters long; the limit is {StrategyLimits.MaxNameLength}");
        }
    }

    private Dictionary<string, double> ReadWeights(YamlNode? node)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in YamlFields.Entries(_fields.Mapping(node, "'weights'")))
        {
            if (_fields.Number(value, $"weight '{key.Value}'") is { } weight)
            {
                weights[key.Value] = weight;
            }
        }

        return weights;
    }

    private Dictionary<string, Skill> ReadSkills(YamlNode? node)
    {
        var skills = new Dictionary<string, Skill>(StringComparer.Ordinal);
        foreach (var (key, value) in YamlFields.Entries(_fields.Mapping(node, "'skills'")))
        {
            CheckLength(key.Value, "name", $"skill '{key.Value}'", key.Location);
            if (ReadSkill(key, _fields.Mapping(value, $"skill '{key.Value}'")) is { } skill)
            {
                skills[key.Value] = skill;
            }
        }

        return skills;
    }

    private Skill? ReadSkill(YamlScalar key, YamlMapping? body)
    {
        var name = key.Value;
        var what = $"skill '{name}'";
        var className = _fields.String(body, "class", what, required: true);
        var config = _fields.Mapping(body?["config"], $"{what}: 'config'");
        var computes = className is "MathFunction" or "InferenceModel";
        var inputs = _fields.Names(body, "inputs", what, required: computes || className is "Bounds" or "OptimizationSkill");
        var outputs = _fields.Names(body, "outputs", what, required: computes);
        Map.Add(name, "inputs", body?["inputs"]);
        Map.Add(name, "outputs", body?["outputs"]);
        Map.Add(name, "skill_sequence", config?["skill_sequence"]);
        foreach (var configKey in new[] { "cost_skill_name", "cost_feature_name", "algorithm", "model_path", "scaler_path", "metadata_path" })
        {
            Map.AddValue(name, configKey, config?[configKey]);
        }

        var location = key.Location;
        switch (className)
        {
            case null:
                return null;
            case "MathFunction":
                var formula = _fields.String(config, "formula", what, required: true) ?? "";
                var frame = _fields.Mapping(config?["dataframe_formula"], $"{what}: 'dataframe_formula'");
                var method = _fields.String(frame, "method", $"{what}: dataframe_formula", required: frame is not null);
                if (method is not null and not "sum")
                {
                    problems.Error(frame?["method"]?.Location, $"{what}: dataframe_formula method '{method}' is not supported (only 'sum', as in the seed)");
                }

                return new MathFunctionSkill(name, inputs, outputs, location, formula, config?["formula"]?.Location ?? location, frame is not null);
            case "InferenceModel":
                return new InferenceModelSkill(
                    name, inputs, outputs, location,
                    _fields.String(config, "model_path", what, required: true) ?? "",
                    _fields.String(config, "scaler_path", what, required: true) ?? "",
                    _fields.String(config, "metadata_path", what, required: false),
                    _fields.String(config, "model_type", what, required: false),
                    ReadFeatureEngineering(config?["feature_engineering"], what));
            case "CompositionSkill":
                return new CompositionSkill(name, inputs, outputs, location, _fields.Names(config, "skill_sequence", what, required: true));
            case "Bounds":
                return new BoundsSkill(name, inputs, outputs, location);
            case "Constraints":
                return new ConstraintsSkill(name, inputs, outputs, location, ReadTemplate(config, what));
            case "OptimizationSkill":
                return new OptimizationSkill(
                    name, inputs, outputs, location,
                    _fields.String(config, "cost_skill_name", what, required: true) ?? "",
                    _fields.String(config, "cost_feature_name", what, required: true) ?? "",
                    _fields.String(config, "algorithm", what, required: false),
                    ReadSolverOptions(name, config?["solver_options"], what));
            default:
                problems.Error(body?["class"]?.Location, $"{what}: unknown skill class '{className}' (expected MathFunction, InferenceModel, CompositionSkill, Bounds, Constraints or OptimizationSkill)");
                return null;
        }
    }

    private FeatureEngineering ReadFeatureEngineering(YamlNode? node, string what)
    {
        var body = _fields.Mapping(node, $"{what}: 'feature_engineering'");
        if (body is null)
        {
            return FeatureEngineering.None;
        }

        var lags = new Dictionary<string, LagOffset>(StringComparer.Ordinal);
        foreach (var (key, value) in YamlFields.Entries(_fields.Mapping(body["lag_offset"], $"{what}: 'lag_offset'")))
        {
            var entry = _fields.Mapping(value, $"{what}: lag_offset '{key.Value}'");
            var where = $"{what}: lag_offset '{key.Value}'";
            var lag = _fields.Number(entry, "lag", where) ?? 0;
            var offset = _fields.Number(entry, "offset", where) ?? 1;
            var variationText = _fields.String(entry, "variation", where, required: false) ?? nameof(Variation.Absolute);
            if (!Enum.TryParse<Variation>(variationText, out var variation))
            {
                problems.Error(entry?["variation"]?.Location, $"{where}: unknown variation '{variationText}' (expected Absolute or Increment)");
            }

            if (lag < 0 || offset < 1 || lag != Math.Floor(lag) || offset != Math.Floor(offset))
            {
                problems.Error(entry?.Location ?? key.Location, $"{where}: lag must be a whole number ≥ 0 and offset a whole number ≥ 1 (got lag {lag:R}, offset {offset:R})");
            }
            else if (lag + offset > StrategyLimits.MaxHistoryRows)
            {
                // The window read for a cycle reaches back this far: 1e300 overflowed, and a loop would read the whole table every cycle.
                problems.Error(entry?.Location ?? key.Location, $"{where}: lag and offset together reach back {lag + offset:R} rows; the limit is {StrategyLimits.MaxHistoryRows}");
            }

            lags[key.Value] = new LagOffset((int)lag, (int)offset, variation);
        }

        var smoothing = _fields.Mapping(body["smoothing"], $"{what}: 'smoothing'");
        var methodText = _fields.String(smoothing, "method", $"{what}: smoothing", required: false) ?? "mean";
        var alpha = _fields.Number(smoothing, "alpha", $"{what}: smoothing");
        var method = methodText switch
        {
            "mean" => SmoothingMethod.Mean,
            "ewm" => SmoothingMethod.Ewm,
            _ => Unknown(smoothing?["method"]?.Location, $"{what}: unknown smoothing method '{methodText}' (expected mean or ewm)"),
        };
        if (method == SmoothingMethod.Ewm && alpha is not (> 0 and <= 1))
        {
            problems.Error(smoothing?["alpha"]?.Location ?? smoothing?.Location, $"{what}: ewm smoothing needs alpha in (0, 1]");
        }

        return new FeatureEngineering(lags, method, alpha);
    }

    private SmoothingMethod Unknown(SourceLocation? location, string message)
    {
        problems.Error(location, message);
        return SmoothingMethod.Mean;
    }

    private List<ConstraintTemplate> ReadTemplate(YamlMapping? config, string what)
    {
        var templates = new List<ConstraintTemplate>();
        var node = config?["template"];
        if (node is null)
        {
            problems.Error(config?.Location, $"{what}: missing required key 'template'");
            return templates;
        }

        if (node is not YamlSequence sequence)
        {
            problems.Error(node.Location, $"{what}: 'template' must be a list");
            return templates;
        }

        foreach (var item in sequence.Items)
        {
            var entry = _fields.Mapping(item, $"{what}: template entry");
            var variable = _fields.String(entry, "predicted_var", $"{what}: template entry", required: true);
            var min = _fields.Number(entry, "op_min", what) ?? double.NegativeInfinity;
            var max = _fields.Number(entry, "op_max", what) ?? double.PositiveInfinity;
            if (min > max)
            {
                problems.Error(item.Location, $"{what}: constraint on '{variable}' has op_min {min:R} greater than op_max {max:R}");
            }

            if (variable is not null)
            {
                templates.Add(new ConstraintTemplate(variable, min, max, item.Location));
            }
        }

        return templates;
    }

    private Dictionary<string, object> ReadSolverOptions(string skill, YamlNode? node, string what)
    {
        var options = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in YamlFields.Entries(_fields.Mapping(node, $"{what}: 'solver_options'")))
        {
            if (value is not YamlScalar { IsNull: false } scalar)
            {
                problems.Error(value.Location, $"{what}: solver option '{key.Value}' must be a single value");
                continue;
            }

            Map.AddValue(skill, $"solver_options.{key.Value}", key);
            // Quoted values stay strings; plain numbers become int or double, the types IPOPT registers.
            options[key.Value] = !scalar.IsPlain ? scalar.Value
                : int.TryParse(scalar.Value, out var i) ? i
                : YamlFields.TryNumber(scalar.Value, out var d) ? d
                : scalar.Value;
        }

        return options;
    }

    private List<StrategyTask> ReadTasks(YamlNode? node)
    {
        var tasks = new List<StrategyTask>();
        if (node is null or YamlScalar { IsNull: true })
        {
            return tasks;
        }

        if (node is not YamlSequence sequence)
        {
            problems.Error(node.Location, "'tasks' must be a list");
            return tasks;
        }

        foreach (var item in sequence.Items)
        {
            var entry = _fields.Mapping(item, "task");
            var name = _fields.String(entry, "name", "task", required: true) ?? "";
            Map.Add($"task:{name}", "skill_sequence", entry?["skill_sequence"]);
            tasks.Add(new StrategyTask(name, _fields.Names(entry, "skill_sequence", $"task '{name}'", required: true), item.Location));
        }

        return tasks;
    }
}
