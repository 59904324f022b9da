namespace ProcessOptimizer.Inference.Tests;

/// <summary>Paths in the repository, found from the test's output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string KilnStore => Path.Combine(Root, "examples", "kiln", "store");

    public static string Python => "/usr/bin/python3";

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ProcessOptimizer.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root is not above the test folder");
    }
}
