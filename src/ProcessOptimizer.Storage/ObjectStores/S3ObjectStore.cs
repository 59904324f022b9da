using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ProcessOptimizer.Core.Storage;

namespace ProcessOptimizer.Storage.ObjectStores;

/// <summary>
/// An S3 bucket through AWSSDK.S3, for MinIO or any S3 API. Uploads are sent without chunked encoding, which
/// some S3 implementations store corrupted. Timeouts and retries come from <see cref="S3Settings"/>.
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;

    public S3ObjectStore(S3Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _bucket = settings.Bucket;
        var config = new AmazonS3Config
        {
            ServiceURL = settings.Endpoint,
            ForcePathStyle = settings.ForcePathStyle,
            AuthenticationRegion = settings.Region,
            Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
            // Retries belong to the guard around the store, which also knows when to stop trying.
            MaxErrorRetry = 0,
        };
        _client = new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
        Description = $"s3 bucket '{settings.Bucket}' at {settings.Endpoint}";
    }

    public string Description { get; }

    public Task<Stream> GetAsync(string key, CancellationToken cancellationToken) => Call(key, cancellationToken, async () =>
    {
        using var response = await _client.GetObjectAsync(_bucket, key, cancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        return (Stream)buffer;
    });

    public async Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await Call(key, cancellationToken, async () =>
            {
                var metadata = await _client.GetObjectMetadataAsync(_bucket, key, cancellationToken).ConfigureAwait(false);
                return new ObjectInfo(key, metadata.ETag.Trim('"'), metadata.ContentLength, metadata.LastModified?.ToUniversalTime() ?? DateTime.UnixEpoch);
            }).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken) => Call(key, cancellationToken, async () =>
    {
        var request = new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = content, UseChunkEncoding = false, AutoCloseStream = false };
        await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        return true;
    });

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, ContinuationToken = token };
            var response = await Call(prefix, cancellationToken, () => _client.ListObjectsV2Async(request, cancellationToken)).ConfigureAwait(false);
            foreach (var item in response.S3Objects ?? [])
            {
                yield return new ObjectInfo(item.Key, item.ETag.Trim('"'), item.Size ?? 0, item.LastModified?.ToUniversalTime() ?? DateTime.UnixEpoch);
            }

            token = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (token is not null);
    }

    /// <summary>Creates the bucket if it does not exist (for tests and first start-up).</summary>
    public Task EnsureBucketAsync(CancellationToken cancellationToken) => Call(_bucket, cancellationToken, async () =>
    {
        try
        {
            await _client.PutBucketAsync(_bucket, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }

        return true;
    });

    public void Dispose() => _client.Dispose();

    private async Task<T> Call<T>(string key, CancellationToken cancellationToken, Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ObjectNotFoundException(key, Description);
        }
        catch (AmazonS3Exception ex)
        {
            throw new StorageException($"'{key}' in {Description}: {ex.ErrorCode} {ex.Message}", isTransient: (int)ex.StatusCode >= 500, ex);
        }
        // The SDK's own timeout surfaces as a cancellation or a TimeoutException: either way the store did not answer.
        // A cancellation the caller asked for passes unchanged.
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException or OperationCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            throw new StorageException($"'{key}' in {Description} is unreachable: {ex.Message}", isTransient: true, ex);
        }
    }
}
