using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// The load generator's HTTP side, kept cheap because it shares the two cores with the service it measures: the
/// body is serialised once, connections are kept, and an answer is drained into a reused buffer, not kept.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly byte[] _body;

    public LoadClient(string baseUrl, byte[] body, TimeSpan timeout)
    {
        _body = body;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = timeout,
        };
    }

    /// <summary>Sends one <c>POST /optimize</c> with the body and reads its answer to the end.</summary>
    /// <returns>Whether the answer was a success status.</returns>
    public async Task<bool> OptimizeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/optimize") { Content = new ByteArrayContent(_body) };
        request.Content.Headers.ContentType = Json;
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // Rare, and the reason matters more than its cost: a failure is counted and its answer shown.
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"{(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}").ConfigureAwait(false);
            return false;
        }

        await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await stream.ReadAsync(buffer).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return true;
    }

    public void Dispose() => _http.Dispose();
}
