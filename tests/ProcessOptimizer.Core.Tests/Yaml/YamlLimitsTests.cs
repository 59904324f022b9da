using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Tests.Yaml;

/// <summary>Issue 13: no YAML document can exhaust the stack or make a walk over the tree explode.</summary>
public class YamlLimitsTests
{
    [Theory]
    [InlineData(YamlReader.MaxDepth)]
    [InlineData(YamlReader.MaxDepth - 1)]
    public void Read_NestedToTheLimit_Reads(int depth)
    {
        var node = YamlReader.Read(Flow(depth));

        for (var i = 1; i < depth; i++)
        {
            node = Assert.Single(Assert.IsType<YamlSequence>(node).Items);
        }

        Assert.Empty(Assert.IsType<YamlSequence>(node).Items);
    }

    [Theory]
    [InlineData(YamlReader.MaxDepth + 1)]
    [InlineData(100_000)]
    public void Read_NestedPastTheLimit_IsAFormatErrorWithItsColumn(int depth)
    {
        var error = Assert.Throws<YamlFormatException>(() => YamlReader.Read(Flow(depth)));

        Assert.Equal($"nested more than {YamlReader.MaxDepth} levels deep", error.Problem);
        Assert.Equal(1, error.Location.Line);
        Assert.Equal(YamlReader.MaxDepth + 1, error.Location.Column);
    }

    [Fact]
    public void Read_BlockMappingsPastTheLimit_IsAFormatErrorOnItsLine()
    {
        var text = string.Concat(Enumerable.Range(0, YamlReader.MaxDepth + 1).Select(i => new string(' ', i) + "k:\n")) + new string(' ', YamlReader.MaxDepth + 1) + "v";

        var error = Assert.Throws<YamlFormatException>(() => YamlReader.Read(text));

        Assert.Equal(YamlReader.MaxDepth + 1, error.Location.Line);
    }

    [Fact]
    public void Read_AliasBomb_IsRefusedBeforeItIsWalked()
    {
        // Ten levels of ten aliases each stand for 10^10 nodes in 300 bytes.
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i <= 10; i++)
        {
            lines.Add($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        var error = Assert.Throws<YamlFormatException>(() => YamlReader.Read(string.Join("\n", lines)));

        Assert.Contains($"more than {YamlReader.MaxNodes} nodes", error.Problem);
        Assert.Equal(6, error.Location.Line);
    }

    [Fact]
    public void Load_DeepStrategy_IsOneProblemWithItsLine()
    {
        var (strategy, problems) = StrategyLoader.Read("variables:\n  x: " + Flow(100_000));

        Assert.Null(strategy);
        var problem = Assert.Single(problems);
        Assert.Equal($"malformed YAML: nested more than {YamlReader.MaxDepth} levels deep", problem.Message);
        Assert.Equal(2, problem.Location?.Line);
    }

    private static string Flow(int depth) => new string('[', depth) + new string(']', depth);
}
