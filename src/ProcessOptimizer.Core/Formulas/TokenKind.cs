namespace ProcessOptimizer.Core.Formulas;

internal enum TokenKind
{
    Number,
    Name,
    Operator,
    LeftParen,
    RightParen,
    Comma,
    End,
}
