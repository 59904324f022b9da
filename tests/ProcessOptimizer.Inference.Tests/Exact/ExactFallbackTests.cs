using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Inference.Tests.Exact;

public sealed class ExactFallbackTests : IDisposable
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), "po-exact-" + Guid.NewGuid().ToString("n"));

    public ExactFallbackTests()
    {
        Directory.CreateDirectory(_store);
        File.WriteAllText(Path.Combine(_store, "scalers.json"), "{\"a\": {\"kind\": \"MinMaxScaler\", \"min_\": 0.5, \"scale_\": 0.25}}");
    }

    public void Dispose() => Directory.Delete(_store, recursive: true);

    private static InferenceModelSkill Skill => new("im_test", ["a", "b"], ["y"], default, "model.onnx", "scalers.json", null, "ANN", FeatureEngineering.None);

    [Fact]
    public async Task Load_UnsupportedNode_FallsBackToFiniteDifferencesAndSaysWhy()
    {
        var builder = new GraphBuilder(2);
        var hidden = builder.Node("Sin", [builder.Linear(builder.Input, new double[,] { { 1, 0.5 }, { -0.3, 1 } }, [0.1, 0])]);
        File.WriteAllBytes(Path.Combine(_store, "model.onnx"), builder.Build(builder.Linear(hidden, new double[,] { { 0.7, -0.2 } }, [0]), 1));

        using var loaded = await ModelArtifacts.LoadAsync(Skill, new LocalFolderStore(_store), CancellationToken.None);

        Assert.Equal("finite-difference", loaded.Model.DerivativeMode);
        Assert.Contains("(Sin) is not supported", loaded.Model.DerivativeNote);
        var output = new double[1];
        loaded.Model.Predict([1.0, 2.0], output, []);
        Assert.True(double.IsFinite(output[0]));
    }

    [Fact]
    public async Task Load_SupportedFloatNetwork_UsesExactAndAgreesWithOnnxRuntime()
    {
        var builder = new GraphBuilder(2);
        var hidden = builder.Gelu(builder.Linear(builder.Input, new double[,] { { 1, 0.5 }, { -0.3, 1 }, { 0.2, 0.2 } }, [0.1, 0, -0.1]));
        File.WriteAllBytes(Path.Combine(_store, "model.onnx"), builder.Build(builder.Linear(hidden, new double[,] { { 0.7, -0.2, 0.4 } }, [0.05]), 1));

        using var loaded = await ModelArtifacts.LoadAsync(Skill, new LocalFolderStore(_store), CancellationToken.None);

        Assert.Equal("exact", loaded.Model.DerivativeMode);
        Assert.Null(loaded.Model.DerivativeNote);
    }
}
