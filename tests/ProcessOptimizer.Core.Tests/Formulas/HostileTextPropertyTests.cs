using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessOptimizer.Core.Formulas;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Tests.Formulas;

/// <summary>
/// Issue 13: random and deeply nested text fed to the formula parser and the YAML reader either parses or is
/// refused with their own exception. A stack overflow would end this test process, so reaching the
/// assertions at all is part of what is tested.
/// </summary>
public class HostileTextPropertyTests
{
    private static readonly Gen<string> FormulaPiece = Gen.Elements(
        "(", ")", "x", "y_dof", "1", "2.5e3", " ", "+", "-", "*", "/", "//", "%", "**", "<", "==", ",", "not ", " and ",
        " or ", " if ", " else ", "max(", "exp(", "clip(", "abs(", ".", "_", "e", "\t", "é", "'", "lambda");

    private static readonly Gen<string> YamlPiece = Gen.Elements(
        "[", "]", "{", "}", ":", ": ", ",", "- ", "\n", "  ", "a", "b: ", "&x ", "*x", "!!str ", "'", "\"", "#", "|", "> ", "? ", "---\n", "%YAML 1.2\n", "\t", "1e5");

    // Random sequences of tokens, and the same wrapped in up to 20,000 levels of one nesting form.
    private static Gen<string> Text(Gen<string> piece, string[] openers, string[] closers) =>
        Gen.OneOf(
            Gen.ListOf(piece).Select(string.Concat),
            from inner in Gen.ListOf(piece).Select(string.Concat)
            from form in Gen.Choose(0, openers.Length - 1)
            from depth in Gen.OneOf(Gen.Choose(0, 200), Gen.Choose(0, 20_000))
            select string.Concat(Enumerable.Repeat(openers[form], depth)) + inner + string.Concat(Enumerable.Repeat(closers[form], depth)));

    private static readonly Gen<string> Formulas = Text(FormulaPiece, ["(", "-", "not ", "exp(", "x + ", "x ** ", "x if x else "], [")", "", "", ")", "", "", ""]);

    private static readonly Gen<string> Yaml = Text(YamlPiece, ["[", "{a: ", "- ", "&a [*a, ", "k:\n "], ["]", "}", "", "]", ""]);

    [Property(MaxTest = 400)]
    public Property Parse_AnyText_ParsesOrIsASyntaxError() =>
        Prop.ForAll(Arb.From(Formulas), text =>
        {
            try
            {
                var node = FormulaParser.Parse(text);
                // What parses is within the limits, so every later pass is safe on it.
                return (text.Length <= FormulaLimits.MaxLength && FormulaPrinter.Print(node).Length > 0).Label(Show(text));
            }
            catch (FormulaSyntaxException ex)
            {
                return (ex.Position >= 0 && ex.Position <= text.Length).Label($"{ex.Message} for {Show(text)}");
            }
        });

    [Property(MaxTest = 400)]
    public Property ReadYaml_AnyText_ReadsOrIsAFormatError() =>
        Prop.ForAll(Arb.From(Yaml), text =>
        {
            try
            {
                YamlReader.Read(text);
                return true.ToProperty();
            }
            catch (YamlFormatException ex)
            {
                return (ex.Location.Line >= 1).Label($"{ex.Message} for {Show(text)}");
            }
        });

    [Property(MaxTest = 200)]
    public Property LoadStrategy_AnyText_GivesProblemsNotExceptions() =>
        Prop.ForAll(Arb.From(Yaml), Arb.From(Formulas), (yaml, formula) =>
        {
            var document = $"variables:\n  x: {{type: Operative}}\n  y: {{type: CalculatedKPI}}\nskills:\n  f:\n    class: MathFunction\n    inputs: [x]\n    outputs: [y]\n    config: {{formula: \"{formula.Replace("\"", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal)}\"}}\nextra: {yaml}";
            var (strategy, problems) = StrategyLoader.Read(document);
            return (strategy is not null || problems.Any(p => !p.IsWarning)).Label(Show(document));
        });

    private static string Show(string text) => text.Length <= 200 ? text : $"{text[..200]}… ({text.Length} characters)";
}
