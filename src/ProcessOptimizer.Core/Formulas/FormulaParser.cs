namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// Parses the Python expression subset that strategy formulas use, by recursive descent that follows
/// Python's grammar rule for rule, so precedence and associativity match Python's (<c>-2**2 == -4</c>).
/// </summary>
/// <remarks>Bad input throws <see cref="FormulaSyntaxException"/> with the offset of the offending token.</remarks>
public sealed class FormulaParser
{
    private static readonly HashSet<string> Keywords = ["and", "or", "not", "if", "else", "True", "False"];
    private static readonly HashSet<string> UnsupportedKeywords = ["lambda", "in", "is", "for", "None", "import"];

    private readonly List<Token> _tokens;
    private int _next;

    // Rules entered and not yet left that can nest without bound: parentheses, unary operators, conditionals.
    private int _depth;

    private FormulaParser(string text) => _tokens = Lexer.Tokenize(text);

    /// <summary>Parses a whole formula.</summary>
    /// <exception cref="FormulaSyntaxException">
    /// The text is not a formula, or it is longer, deeper or larger than <see cref="FormulaLimits"/> allow.
    /// </exception>
    public static FormulaNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > FormulaLimits.MaxLength)
        {
            throw new FormulaSyntaxException($"formula is {text.Length} characters long; the limit is {FormulaLimits.MaxLength}", FormulaLimits.MaxLength);
        }

        var parser = new FormulaParser(text);
        var node = parser.Test();
        var rest = parser.Peek;
        if (rest.Kind != TokenKind.End)
        {
            throw new FormulaSyntaxException($"unexpected '{rest.Text}'", rest.Position);
        }

        FormulaLimits.Check(node);
        return node;
    }

    // Every recursive rule goes through here, so the parser's own stack is bounded as well as the tree's depth.
    private FormulaNode Nested(Func<FormulaNode> rule)
    {
        if (++_depth > FormulaLimits.MaxDepth)
        {
            throw new FormulaSyntaxException(FormulaLimits.TooDeep, Peek.Position);
        }

        try
        {
            return rule();
        }
        finally
        {
            _depth--;
        }
    }

    private Token Peek => _tokens[_next];

    private Token Take() => _tokens[_next++];

    private bool TakeIf(string text)
    {
        if (!Peek.Is(text))
        {
            return false;
        }

        _next++;
        return true;
    }

    // test: or_test ['if' or_test 'else' test]
    private FormulaNode Test() => Nested(Conditional);

    private FormulaNode Conditional()
    {
        var start = Peek.Position;
        var whenTrue = OrTest();
        if (!TakeIf("if"))
        {
            return whenTrue;
        }

        var test = OrTest();
        if (!TakeIf("else"))
        {
            throw new FormulaSyntaxException($"expected 'else' but found '{Peek.Text}'", Peek.Position);
        }

        return new ConditionalNode(test, whenTrue, Test()) { Position = start };
    }

    private FormulaNode OrTest() => LeftAssociative(AndTest, "or", BinaryOperator.Or);

    private FormulaNode AndTest() => LeftAssociative(NotTest, "and", BinaryOperator.And);

    private FormulaNode LeftAssociative(Func<FormulaNode> operand, string keyword, BinaryOperator op)
    {
        var left = operand();
        while (Peek.Kind == TokenKind.Name && Peek.Text == keyword)
        {
            var position = Take().Position;
            left = new BinaryNode(op, left, operand()) { Position = position };
        }

        return left;
    }

    private FormulaNode NotTest()
    {
        if (Peek.Kind == TokenKind.Name && Peek.Text == "not")
        {
            var position = Take().Position;
            return new UnaryNode(UnaryOperator.Not, Nested(NotTest)) { Position = position };
        }

        return Comparison();
    }

    // Python chains comparisons: a < b < c means (a < b) and (b < c).
    private FormulaNode Comparison()
    {
        var left = Arithmetic();
        FormulaNode? chain = null;
        while (Peek.Kind == TokenKind.Operator && ComparisonOperator(Peek.Text) is { } op)
        {
            var position = Take().Position;
            var right = Arithmetic();
            var link = new BinaryNode(op, left, right) { Position = position };
            chain = chain is null ? link : new BinaryNode(BinaryOperator.And, chain, link) { Position = position };
            left = right;
        }

        return chain ?? left;
    }

    private static BinaryOperator? ComparisonOperator(string text) => text switch
    {
        "<" => BinaryOperator.Less,
        "<=" => BinaryOperator.LessOrEqual,
        ">" => BinaryOperator.Greater,
        ">=" => BinaryOperator.GreaterOrEqual,
        "==" => BinaryOperator.Equal,
        "!=" => BinaryOperator.NotEqual,
        _ => null,
    };

    private FormulaNode Arithmetic()
    {
        var left = Term();
        while (Peek.Kind == TokenKind.Operator && Peek.Text is "+" or "-")
        {
            var token = Take();
            var op = token.Text == "+" ? BinaryOperator.Add : BinaryOperator.Subtract;
            left = new BinaryNode(op, left, Term()) { Position = token.Position };
        }

        return left;
    }

    private FormulaNode Term()
    {
        var left = Factor();
        while (Peek.Kind == TokenKind.Operator && Peek.Text is "*" or "/" or "//" or "%")
        {
            var token = Take();
            var op = token.Text switch
            {
                "*" => BinaryOperator.Multiply,
                "/" => BinaryOperator.Divide,
                "//" => BinaryOperator.FloorDivide,
                _ => BinaryOperator.Modulo,
            };
            left = new BinaryNode(op, left, Factor()) { Position = token.Position };
        }

        return left;
    }

    // factor: ('+'|'-') factor | power. Unary minus binds looser than '**' on its right.
    private FormulaNode Factor()
    {
        if (Peek.Kind == TokenKind.Operator && Peek.Text is "+" or "-")
        {
            var token = Take();
            var op = token.Text == "-" ? UnaryOperator.Negate : UnaryOperator.Plus;
            return new UnaryNode(op, Nested(Factor)) { Position = token.Position };
        }

        return Power();
    }

    // power: atom ['**' factor]; the right operand is a factor, which makes '**' right-associative.
    private FormulaNode Power()
    {
        var atom = Atom();
        if (Peek.Kind == TokenKind.Operator && Peek.Text == "**")
        {
            var position = Take().Position;
            return new BinaryNode(BinaryOperator.Power, atom, Nested(Factor)) { Position = position };
        }

        return atom;
    }

    private FormulaNode Atom()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return new NumberNode(token.Number) { Position = token.Position };
            case TokenKind.LeftParen:
                var inner = Test();
                Expect(TokenKind.RightParen, "')'", token);
                return inner;
            case TokenKind.Name when token.Text is "True" or "False":
                return new NumberNode(token.Text == "True" ? 1 : 0) { Position = token.Position };
            case TokenKind.Name when Keywords.Contains(token.Text):
                throw new FormulaSyntaxException($"unexpected keyword '{token.Text}'", token.Position);
            case TokenKind.Name when UnsupportedKeywords.Contains(token.Text):
                throw new FormulaSyntaxException($"'{token.Text}' is not supported in formulas", token.Position);
            case TokenKind.Name when Peek.Kind == TokenKind.LeftParen:
                return Call(token);
            case TokenKind.Name:
                return new SymbolNode(token.Text) { Position = token.Position };
            case TokenKind.End:
                throw new FormulaSyntaxException("unexpected end of formula", token.Position);
            default:
                throw new FormulaSyntaxException($"unexpected '{token.Text}'", token.Position);
        }
    }

    private CallNode Call(Token name)
    {
        var open = Take();
        var arguments = new List<FormulaNode>();
        if (Peek.Kind != TokenKind.RightParen)
        {
            do
            {
                arguments.Add(Test());
            }
            while (Peek.Kind == TokenKind.Comma && Take().Kind == TokenKind.Comma);
        }

        Expect(TokenKind.RightParen, "')' or ','", open);
        var function = Functions.Find(name.Text)
            ?? throw new FormulaSyntaxException($"unknown function '{name.Text}'", name.Position);
        if (arguments.Count < function.MinArguments || arguments.Count > function.MaxArguments)
        {
            throw new FormulaSyntaxException($"{function.Name}() takes {function.ArityText} but was given {arguments.Count}", name.Position);
        }

        return new CallNode(name.Text, arguments) { Position = name.Position };
    }

    private void Expect(TokenKind kind, string what, Token opener)
    {
        var token = Peek;
        if (token.Kind != kind)
        {
            var found = token.Kind == TokenKind.End ? "end of formula" : $"'{token.Text}'";
            throw new FormulaSyntaxException($"expected {what} to close '(' at column {opener.Position + 1} but found {found}", token.Position);
        }

        _next++;
    }
}
