using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Inference.Tests;

public sealed class LoadFailureTests : IDisposable
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), "po-load-" + Guid.NewGuid().ToString("n"));

    public LoadFailureTests()
    {
        var source = Path.Combine(Repository.KilnStore, "models", "Burning_zone_temperature");
        Directory.CreateDirectory(Path.Combine(_store, "m"));
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(_store, "m", Path.GetFileName(file).Replace("Burning_zone_temperature_", "", StringComparison.Ordinal)));
        }
    }

    public void Dispose() => Directory.Delete(_store, recursive: true);

    private static InferenceModelSkill Skill(string model = "m/model.onnx", string scalers = "m/scalers.json", string? metadata = "m/metadata.json", int inputs = 5) =>
        new("im_test", [.. new[] { "delta_combined_Feed_rate", "delta_Kiln_Coal_PV", "Calciner_temperature_PV", "delta_Secondary_Air_Temperature", "PH_Fan_Speed_PV" }.Take(inputs)],
            ["delta_Burning_zone_temperature"], default, model, scalers, metadata, "ANN", FeatureEngineering.None);

    private Task<ModelException> Failure(InferenceModelSkill skill) =>
        Assert.ThrowsAsync<ModelException>(() => ModelArtifacts.LoadAsync(skill, new LocalFolderStore(_store), CancellationToken.None));

    [Fact]
    public async Task Load_MissingFile_NamesSkillKeyAndStore()
    {
        var error = await Failure(Skill(model: "m/absent.onnx"));
        Assert.Equal($"skill 'im_test': 'm/absent.onnx' does not exist in local store '{Path.GetFileName(_store)}'", error.Message);
    }

    [Fact]
    public async Task Load_WrongInputCount_NamesTheMismatch()
    {
        var error = await Failure(Skill(inputs: 4, metadata: null));
        Assert.Equal("skill 'im_test': 'm/model.onnx' input 'input' has 5 columns, but the skill declares 4 inputs", error.Message);
    }

    [Fact]
    public async Task Load_CorruptOnnx_SaysItIsNotAModel()
    {
        File.WriteAllBytes(Path.Combine(_store, "m", "model.onnx"), [1, 2, 3, 4, 5, 6, 7, 8]);
        var error = await Failure(Skill());
        Assert.StartsWith("skill 'im_test': 'm/model.onnx' is not a valid ONNX model:", error.Message);
    }

    [Fact]
    public async Task Load_CorruptScalers_NamesTheFile()
    {
        File.WriteAllText(Path.Combine(_store, "m", "scalers.json"), "{\"Kiln_Coal_PV\": {\"kind\": \"RobustScaler\"}}");
        var error = await Failure(Skill());
        Assert.Equal("scalers 'm/scalers.json': 'Kiln_Coal_PV': 'kind' must be MinMaxScaler or StandardScaler (got RobustScaler)", error.Message);
    }

    [Fact]
    public async Task Load_InputsInAnotherOrderThanTrained_IsRefused()
    {
        var skill = Skill() with { Inputs = ["delta_Kiln_Coal_PV", "delta_combined_Feed_rate", "Calciner_temperature_PV", "delta_Secondary_Air_Temperature", "PH_Fan_Speed_PV"] };
        var error = await Failure(skill);
        Assert.Contains("says the model was trained on inputs [delta_combined_Feed_rate, delta_Kiln_Coal_PV,", error.Message);
    }

    [Fact]
    public async Task Load_LegacyArtifacts_PointsToTheConverter()
    {
        var error = await Failure(Skill(model: "m/model.pth", scalers: "m/scalers.pkl"));
        Assert.Contains("convert them with tools/convert-legacy-model", error.Message);
    }
}
