using Microsoft.AspNetCore.Http;
using ProcessOptimizer.Api;

namespace ProcessOptimizer.Tests.Api;

/// <summary>Issue 13: the one key check behind admin endpoints and inline strategies.</summary>
public class ApiKeyTests
{
    private const string Key = "s3cret-Key-42";

    [Theory]
    [InlineData(Key, Key, true)]
    [InlineData("wrong", Key, false)]
    [InlineData("s3cret-Key-43", Key, false)] // same length, last character differs
    [InlineData("S3cret-Key-42", Key, false)] // same length, case differs
    [InlineData("s3cret-Key-4", Key, false)] // a prefix
    [InlineData(Key + "2", Key, false)] // longer
    [InlineData(" " + Key, Key, false)]
    [InlineData("", Key, false)]
    [InlineData("", "", false)] // an empty key opens nothing
    [InlineData("clé-ключ-鍵-🔑", "clé-ключ-鍵-🔑", true)]
    [InlineData("clé-ключ-鍵-🔐", "clé-ключ-鍵-🔑", false)] // same UTF-16 length, one emoji differs
    [InlineData("cle\u0301", "clé", false)] // the same text decomposed: bytes, not normalised text, are compared
    public void Matches_HeaderAgainstKey(string header, string key, bool expected)
    {
        var request = new DefaultHttpContext().Request;
        request.Headers[ApiKey.Header] = header;

        Assert.Equal(expected, ApiKey.Matches(request, key));
    }

    [Fact]
    public void Matches_NoHeader_IsFalse()
    {
        Assert.False(ApiKey.Matches(new DefaultHttpContext().Request, Key));
    }

    [Fact]
    public void Matches_HeaderSentTwiceWithTheKey_IsFalse()
    {
        var request = new DefaultHttpContext().Request;
        request.Headers.Append(ApiKey.Header, Key);
        request.Headers.Append(ApiKey.Header, Key);

        Assert.False(ApiKey.Matches(request, Key));
    }

    [Fact]
    public void Matches_HeaderNameInOtherCase_IsTheSameHeader()
    {
        var request = new DefaultHttpContext().Request;
        request.Headers["x-api-key"] = Key;

        Assert.True(ApiKey.Matches(request, Key));
    }
}
