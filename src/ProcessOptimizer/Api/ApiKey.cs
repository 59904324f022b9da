using System.Security.Cryptography;
using System.Text;

namespace ProcessOptimizer.Api;

/// <summary>The <c>X-Api-Key</c> check shared by admin endpoints and inline strategies.</summary>
public static class ApiKey
{
    public const string Header = "X-Api-Key";

    /// <summary>Whether the request carries <paramref name="key"/>, compared in time that depends on neither value.</summary>
    /// <remarks>
    /// Text is compared as UTF-8 bytes, without normalisation. An empty key matches nothing, not a request without
    /// the header; a header sent twice is one value with a comma and matches nothing either.
    /// </remarks>
    public static bool Matches(HttpRequest request, string key)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            return false;
        }

        // FixedTimeEquals returns at once on a length mismatch; hashing first makes both sides 32 bytes, so
        // the time says nothing about the key's length either.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(request.Headers[Header].ToString()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
