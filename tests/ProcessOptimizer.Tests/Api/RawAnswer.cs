using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ProcessOptimizer.Tests.Api;

/// <summary>An HTTP/1.1 answer read off a socket to its end, as an <see cref="HttpResponseMessage"/>.</summary>
internal static class RawAnswer
{
    /// <exception cref="FormatException">The bytes are not one HTTP/1.1 answer.</exception>
    public static HttpResponseMessage Parse(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0 || !text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
        {
            throw new FormatException($"not an HTTP/1.1 answer: '{(text.Length > 200 ? text[..200] : text)}'");
        }

        var lines = text[..end].Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = text[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        var response = new HttpResponseMessage((HttpStatusCode)int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        response.Content.Headers.ContentType = headers.TryGetValue("Content-Type", out var type) ? MediaTypeHeaderValue.Parse(type) : null;
        return response;
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var line = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = int.Parse(chunked[at..line], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return body.ToString();
            }

            // Sizes count bytes; the problem's text is ASCII, so characters and bytes agree.
            body.Append(chunked, line + 2, size);
            at = line + 2 + size + 2;
        }
    }
}
