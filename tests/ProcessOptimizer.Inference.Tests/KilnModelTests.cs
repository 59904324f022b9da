using System.Text.Json;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Inference.Tests;

public class KilnModelTests
{
    private static readonly Strategy Kiln = StrategyLoader.Load(
        File.ReadAllText(Path.Combine(Repository.KilnStore, "configs", "process-optimization-strategy-config-1.0.0.yaml")), "kiln");

    private static InferenceModelSkill Skill => Kiln.SkillsOf<InferenceModelSkill>().Single();

    [Fact]
    public async Task Predict_KilnModel_MatchesTheTrainingScriptsReferences()
    {
        using var loaded = await ModelArtifacts.LoadAsync(Skill, new LocalFolderStore(Repository.KilnStore), CancellationToken.None);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "examples", "kiln", "reference-predictions.json")));
        var cases = document.RootElement.GetProperty("cases").EnumerateArray().ToList();

        Assert.True(cases.Count >= 20);
        var output = new double[1];
        foreach (var item in cases)
        {
            var inputs = Skill.Inputs.Select(name => item.GetProperty("inputs").GetProperty(name).GetDouble()).ToArray();
            loaded.Model.Predict(inputs, output, []);
            var expected = item.GetProperty("prediction").GetDouble();
            Assert.True(Math.Abs(output[0] - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{output[0]:R} vs {expected:R}");
        }
    }

    [Fact]
    public async Task Predict_Jacobian_AgreesWithWideDifferences()
    {
        using var loaded = await ModelArtifacts.LoadAsync(Skill, new LocalFolderStore(Repository.KilnStore), CancellationToken.None);
        double[] point = [1.0, 0.1, 880, 0.5, 800];
        var outputs = new double[1];
        var jacobian = new double[5];
        loaded.Model.Predict(point, outputs, jacobian);

        for (var k = 0; k < 5; k++)
        {
            // A step of 1 % of each input's training range: far above float32 noise, small against curvature.
            var step = new[] { 0.1, 0.005, 0.4, 0.06, 1.6 }[k];
            var up = (double[])point.Clone();
            var down = (double[])point.Clone();
            up[k] += step;
            down[k] -= step;
            var (a, b) = (new double[1], new double[1]);
            loaded.Model.Predict(up, a, []);
            loaded.Model.Predict(down, b, []);
            var numeric = (a[0] - b[0]) / (2 * step);
            Assert.True(Math.Abs(jacobian[k] - numeric) <= 0.02 * Math.Max(Math.Abs(numeric), 0.05), $"input {k}: {jacobian[k]:R} vs {numeric:R}");
        }
    }

    [Fact]
    public async Task PredictWithCurvature_ExactModel_AgreesWithCentralDifferencesOfItsJacobian()
    {
        using var loaded = await ModelArtifacts.LoadAsync(Skill, new LocalFolderStore(Repository.KilnStore), CancellationToken.None);
        var model = loaded.Model;
        double[] point = [1.0, 0.1, 880, 0.5, 800];
        var curvature = new double[25];
        model.PredictWithCurvature(point, new double[1], new double[5], curvature);

        var largest = 0.0;
        var numeric = new double[25];
        for (var k = 0; k < 5; k++)
        {
            var step = new[] { 0.01, 0.0005, 0.04, 0.006, 0.16 }[k];
            var (up, down) = ((double[])point.Clone(), (double[])point.Clone());
            up[k] += step;
            down[k] -= step;
            var (ju, jd) = (new double[5], new double[5]);
            model.Predict(up, new double[1], ju);
            model.Predict(down, new double[1], jd);
            for (var i = 0; i < 5; i++)
            {
                numeric[(i * 5) + k] = (ju[i] - jd[i]) / (2 * step);
                largest = Math.Max(largest, Math.Abs(numeric[(i * 5) + k]));
            }
        }

        for (var p = 0; p < 25; p++)
        {
            // Exact second derivatives against central differences of the Jacobian, symmetrised: agreement to a small share of the largest entry.
            Assert.True(Math.Abs(curvature[p] - (0.5 * (numeric[p] + numeric[((p % 5) * 5) + (p / 5)]))) <= 1e-3 * largest, $"entry {p}: {curvature[p]:R} vs {numeric[p]:R}");
        }
    }

    [Fact]
    public async Task Load_KilnModel_RecordsEveryArtifactVersion()
    {
        using var loaded = await ModelArtifacts.LoadAsync(Skill, new LocalFolderStore(Repository.KilnStore), CancellationToken.None);

        Assert.Equal(3, loaded.ArtifactVersions.Count);
        Assert.All(loaded.ArtifactVersions.Values, etag => Assert.Matches("^[0-9a-f]{32}$", etag));
        // Issue 4: the kiln network (Gemm, BatchNormalization, the GELU pattern) runs on the exact evaluator.
        Assert.Equal("exact", loaded.Model.DerivativeMode);
    }
}
