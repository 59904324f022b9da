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
}
