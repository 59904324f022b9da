using System.Reflection;

namespace ProcessOptimizer.Benchmarks;

/// <summary>Paths in the repository the benchmarks read their fixtures from.</summary>
internal static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string HockSchittkowski => Path.Combine(Root, "tests", "fixtures", "hock-schittkowski");

    public static string KilnStore => Path.Combine(Root, "examples", "kiln", "store");

    public static string KilnStrategy => Path.Combine(KilnStore, "configs", "process-optimization-strategy-config-1.0.0.yaml");

    public static string KilnWindow => Path.Combine(Root, "examples", "kiln", "window-latest.csv");
}
