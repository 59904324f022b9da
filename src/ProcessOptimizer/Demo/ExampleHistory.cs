using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Demo;

/// <summary>The bundled kiln example: its store and its simulated history.</summary>
public static class ExampleHistory
{
    /// <summary>The repository's examples/kiln folder, searched upwards from the program and the working directory.</summary>
    public static string? FindKilnFolder()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "examples", "kiln");
                if (File.Exists(Path.Combine(candidate, "store", "process-optimization-strategy-config.yaml")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    public static CsvTable Read(string kilnFolder)
    {
        var path = Path.Combine(kilnFolder, "data", "kiln-history.csv");
        using var reader = new StreamReader(path);
        return CsvTable.Read(reader, path);
    }
}
