using System.Diagnostics;
using System.Text.Json;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Inference.Tests.Onnx;

/// <summary>
/// Builds a legacy artifact set with PyTorch (random weights, fitted scalers), converts it with the tool, and
/// checks that predictions through the converted files equal PyTorch's. Needs Debian's python3-torch.
/// </summary>
public sealed class LegacyConversionTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "po-legacy-" + Guid.NewGuid().ToString("n"));

    public LegacyConversionTests() => Directory.CreateDirectory(_work);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Theory]
    [InlineData(5, 5, 1)]
    [InlineData(3, 12, 2)]
    public async Task Convert_LegacyArtifacts_PredictLikePyTorch(int inputs, int hidden, int seed)
    {
        Python(Path.Combine(Repository.Root, "tests", "fixtures", "legacy", "make_legacy_artifacts.py"), _work, $"{inputs}", $"{hidden}", $"{seed}");
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(_work, "expected.json")));
        var names = expected.RootElement.GetProperty("inputs").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var output = expected.RootElement.GetProperty("output").GetString()!;
        Directory.CreateDirectory(Path.Combine(_work, "store", "models"));
        Python(Path.Combine(Repository.Root, "tools", "convert-legacy-model", "convert_legacy_model.py"),
            "--state-dict", Path.Combine(_work, "model.pth"), "--scalers", Path.Combine(_work, "scalers.pkl"),
            "--metadata", Path.Combine(_work, "metadata.json"), "--out-dir", Path.Combine(_work, "store", "models"),
            "--name", "legacy", "--inputs", string.Join(",", names), "--outputs", output);

        var skill = new InferenceModelSkill("im_legacy", names, [output], default, "models/legacy_model.onnx", "models/legacy_scalers.json", "models/legacy_metadata.json", "ANN", FeatureEngineering.None);
        using var loaded = await ModelArtifacts.LoadAsync(skill, new LocalFolderStore(Path.Combine(_work, "store")), CancellationToken.None);

        Assert.Equal("exact", loaded.Model.DerivativeMode);
        var rows = expected.RootElement.GetProperty("rows").EnumerateArray().ToList();
        var predictions = expected.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetDouble()).ToList();
        var result = new double[1];
        for (var r = 0; r < rows.Count; r++)
        {
            loaded.Model.Predict(rows[r].EnumerateArray().Select(v => v.GetDouble()).ToArray(), result, []);
            Assert.True(Math.Abs(result[0] - predictions[r]) <= 1e-5 * Math.Max(1, Math.Abs(predictions[r])), $"row {r}: {result[0]:R} vs {predictions[r]:R}");
        }
    }

    [Fact]
    public void Convert_RewritesOnlyTheSkillsPaths()
    {
        Python(Path.Combine(Repository.Root, "tests", "fixtures", "legacy", "make_legacy_artifacts.py"), _work, "5", "5", "3");
        var strategy = Path.Combine(_work, "strategy.yaml");
        var original = File.ReadAllText(Path.Combine(Repository.Root, "tests", "fixtures", "seed-strategy-1.0.0.yaml"));
        File.WriteAllText(strategy, original);

        Python(Path.Combine(Repository.Root, "tools", "convert-legacy-model", "convert_legacy_model.py"),
            "--state-dict", Path.Combine(_work, "model.pth"), "--scalers", Path.Combine(_work, "scalers.pkl"), "--out-dir", _work,
            "--name", "Burning_zone_temperature", "--strategy", strategy, "--skill", "im_predict_delta_Burning_zone_temperature", "--key-prefix", "models/bzt");

        var rewritten = File.ReadAllText(strategy);
        var changed = original.Split('\n').Zip(rewritten.Split('\n')).Where(p => p.First != p.Second).Select(p => p.Second.Trim()).ToList();
        Assert.Equal(
            ["metadata_path: models/bzt/Burning_zone_temperature_metadata.json", "model_path: models/bzt/Burning_zone_temperature_model.onnx", "scaler_path: models/bzt/Burning_zone_temperature_scalers.json"],
            changed);
        Assert.NotNull(StrategyLoader.Read(rewritten).Strategy);
    }

    private static void Python(params string[] args)
    {
        var start = new ProcessStartInfo(Repository.Python) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{string.Join(" ", args)} failed: {error.Result}");
    }
}
