namespace ProcessOptimizer.Core.Formulas;

/// <summary>The built-in functions a formula may call.</summary>
public static class Functions
{
    private static readonly Dictionary<string, Function> ByName = new Function[]
    {
        new("abs", 1, 1), new("min", 2, int.MaxValue), new("max", 2, int.MaxValue),
        new("exp", 1, 1), new("log", 1, 1), new("log10", 1, 1), new("sqrt", 1, 1), new("pow", 2, 2),
        new("sin", 1, 1), new("cos", 1, 1), new("tan", 1, 1), new("tanh", 1, 1),
        new("floor", 1, 1), new("ceil", 1, 1), new("clip", 3, 3),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>All functions, for documentation and test generators.</summary>
    public static IReadOnlyCollection<Function> All => ByName.Values;

    /// <summary>The function with that name, or null.</summary>
    public static Function? Find(string name) => ByName.GetValueOrDefault(name);
}
