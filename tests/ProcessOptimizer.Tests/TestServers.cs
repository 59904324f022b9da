namespace ProcessOptimizer.Tests;

/// <summary>
/// The real servers the test script starts on loopback, found through environment variables. A missing
/// server fails the test: it is never skipped.
/// </summary>
internal static class TestServers
{
    public static string Postgres => Environment.GetEnvironmentVariable("PROCESS_OPTIMIZER_TEST_POSTGRES")
        ?? throw new InvalidOperationException("PROCESS_OPTIMIZER_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts PostgreSQL");

    public static string S3 => Environment.GetEnvironmentVariable("PROCESS_OPTIMIZER_TEST_S3")
        ?? throw new InvalidOperationException("PROCESS_OPTIMIZER_TEST_S3 is not set: run the tests with scripts/test.sh, which starts s3rver");

    public static string Root { get; } = FindRoot();

    public static string Kiln => Path.Combine(Root, "examples", "kiln");

    /// <summary>Copies the kiln example's store (configs, pointer, models) into <paramref name="to"/>, for a test that changes its copy.</summary>
    /// <param name="overwrite">Whether files already in <paramref name="to"/> are replaced; otherwise one there fails the copy.</param>
    public static void CopyKilnStore(string to, bool overwrite = false)
    {
        var from = Path.Combine(Kiln, "store");
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite);
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "ProcessOptimizer.slnx")))
        {
            directory = directory.Parent;
        }

        return directory.FullName;
    }
}
