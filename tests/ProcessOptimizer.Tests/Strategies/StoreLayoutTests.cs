using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Tests.Strategies;

public class StoreLayoutTests
{
    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("release_2-b.7", true)]
    // Issue 13: "$" would accept a version followed by a newline.
    [InlineData("1.0.0\n", false)]
    [InlineData("1.0.0\r\n", false)]
    [InlineData("../1.0.0", false)]
    [InlineData("", false)]
    public void IsValidVersion_AcceptsOnlyTheWholeName(string version, bool valid) =>
        Assert.Equal(valid, StoreLayout.IsValidVersion(version));

    // Issue 16: every strategy's versions sit beside its own pointer, in the seed's layout.
    [Theory]
    [InlineData("process-optimization-strategy-config.yaml", "configs/process-optimization-strategy-config-2.1.yaml")]
    [InlineData("plant-a/cooler-strategy-config.yaml", "plant-a/configs/cooler-strategy-config-2.1.yaml")]
    [InlineData("plants/b/raw.mill.yml", "plants/b/configs/raw.mill-2.1.yaml")]
    [InlineData("kiln", "configs/kiln-2.1.yaml")]
    public void ConfigKey_OfAPointer_IsInItsFolder(string pointer, string key)
    {
        Assert.Equal(key, StoreLayout.ConfigKey(pointer, "2.1"));
        Assert.Equal("2.1", StoreLayout.VersionOf(pointer, key));
        Assert.Null(StoreLayout.VersionOf("other/" + pointer, key));
    }

    [Theory]
    [InlineData("process-optimization-strategy-config.yaml: 1.2.0\n", "1.2.0")]
    [InlineData("# pinned by the operator\n\n  kiln.yaml: '2.0.1'  \n", "2.0.1")]
    [InlineData("kiln.yaml: \"3.0\"\nother: 9.9\n", "3.0")]
    public void ParsePointer_OneEntryMapping_NamesItsVersion(string text, string version) =>
        Assert.Equal(version, StoreLayout.ParsePointer("plant/kiln.yaml", text));

    [Theory]
    [InlineData("", "plant/kiln.yaml: the deployed-version file is empty")]
    [InlineData("# only a comment\n   \n", "plant/kiln.yaml: the deployed-version file is empty")]
    [InlineData("kiln.yaml: ../1.0\n", "plant/kiln.yaml: the deployed-version file does not name a valid version: 'kiln.yaml: ../1.0'")]
    [InlineData("1.0.0\n", "plant/kiln.yaml: the deployed-version file does not name a valid version: '1.0.0'")]
    public void ParsePointer_NoValidVersion_IsAVersionErrorNamingThePointer(string text, string message)
    {
        var error = Assert.Throws<StrategyVersionException>(() => StoreLayout.ParsePointer("plant/kiln.yaml", text));

        Assert.Equal(message, Assert.Single(error.Problems).Message);
    }
}
