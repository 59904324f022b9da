using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Inference.Scalers;

namespace ProcessOptimizer.Inference.Tests.Scalers;

public class ScalerSetTests
{
    private const string Json = """
        {"Kiln_Coal_PV": {"kind": "MinMaxScaler", "min_": [-0.5], "scale_": [0.125]},
         "Calciner": {"kind": "StandardScaler", "mean_": 880, "scale_": 4}}
        """;

    [Fact]
    public void For_MinMax_HasScikitLearnMeaning()
    {
        var scaler = ScalerSet.Parse(Json, "s.json").For("Kiln_Coal_PV");
        Assert.Equal((12 * 0.125) - 0.5, scaler.Transform(12));
        Assert.Equal(12, scaler.Inverse(scaler.Transform(12)), 12);
    }

    [Fact]
    public void For_Standard_HasScikitLearnMeaning()
    {
        var scaler = ScalerSet.Parse(Json, "s.json").For("Calciner");
        Assert.Equal((888 - 880) / 4.0, scaler.Transform(888), 12);
        Assert.Equal(888, scaler.Inverse(2), 12);
    }

    [Fact]
    public void For_DeltaPrefix_UsesTheBaseVariablesScaler_AndUnknownPassesThrough()
    {
        var set = ScalerSet.Parse(Json, "s.json");
        Assert.Same(set.For("Kiln_Coal_PV"), set.For("delta_Kiln_Coal_PV"));
        Assert.Equal(7, set.For("unknown").Transform(7));
    }

    [Theory]
    [InlineData("{\"a\": {\"kind\": \"MinMaxScaler\", \"min_\": 0}}", "scalers 's.json': 'a': missing 'scale_'")]
    [InlineData("{\"a\": {\"kind\": \"MinMaxScaler\", \"min_\": 0, \"scale_\": 0}}", "scalers 's.json': 'a': the scale is zero or not finite")]
    [InlineData("{\"a\": {\"kind\": \"MinMaxScaler\", \"min_\": [0, 1], \"scale_\": 1}}", "scalers 's.json': 'a': 'min_' must be a number or a one-element list")]
    public void Parse_Malformed_NamesFileAndVariable(string json, string message)
    {
        var error = Assert.Throws<ModelException>(() => ScalerSet.Parse(json, "s.json"));
        Assert.Equal(message, error.Message);
    }
}
