namespace ProcessOptimizer.Core.Formulas;

/// <summary>A lexical token; <c>Position</c> is its zero-based offset in the formula text.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, double Number = 0)
{
    public bool Is(string text) => Kind is TokenKind.Operator or TokenKind.Name && Text == text;
}
