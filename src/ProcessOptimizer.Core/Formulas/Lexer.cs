using System.Globalization;

namespace ProcessOptimizer.Core.Formulas;

/// <summary>Splits formula text into tokens with their offsets.</summary>
internal static class Lexer
{
    // Longest first, so that "**" is not read as two "*".
    private static readonly string[] Operators =
        ["**", "//", "<=", ">=", "==", "!=", "+", "-", "*", "/", "%", "<", ">"];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, text[start..i], start));
            }
            else if (c is '(' or ')' or ',')
            {
                var kind = c switch { '(' => TokenKind.LeftParen, ')' => TokenKind.RightParen, _ => TokenKind.Comma };
                tokens.Add(new Token(kind, c.ToString(), i++));
            }
            else
            {
                var op = Array.Find(Operators, o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0)
                    ?? throw new FormulaSyntaxException($"unexpected character '{c}'", i);
                tokens.Add(new Token(TokenKind.Operator, op, i));
                i += op.Length;
            }
        }

        tokens.Add(new Token(TokenKind.End, "end of formula", text.Length));
        return tokens;
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        SkipDigits(text, ref i);
        if (i < text.Length && text[i] == '.')
        {
            i++;
            SkipDigits(text, ref i);
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var mark = i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (i >= text.Length || !char.IsAsciiDigit(text[i]))
            {
                throw new FormulaSyntaxException("malformed exponent in number", mark);
            }

            SkipDigits(text, ref i);
        }

        if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
        {
            throw new FormulaSyntaxException($"malformed number '{text[start..(i + 1)]}'", start);
        }

        var literal = text[start..i].Replace("_", "", StringComparison.Ordinal);
        return new Token(TokenKind.Number, text[start..i], start, double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private static void SkipDigits(string text, ref int i)
    {
        // Python allows single underscores between digits: 1_000.
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] == '_' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))))
        {
            i++;
        }
    }
}
