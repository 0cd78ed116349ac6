using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace CompassCi.Api.Http;

/// <summary>Reads a whole request body with a size limit, answering 413 past it.</summary>
public static class RequestBody
{
    /// <summary>The body bytes, or the 413 result when it is larger than <paramref name="limit"/>.</summary>
    public static async Task<(ReadOnlyMemory<byte> Body, IResult? Problem)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (default, TooLarge(limit));
        }

        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            // Kestrel's own cap stays above ours so that we, not it, answer with a message.
            sizeFeature.MaxRequestBodySize = null;
        }

        try
        {
            return request.ContentLength is { } length
                ? (await ReadExactlyAsync(request.Body, length, cancellationToken), null)
                : await ReadChunkedAsync(request.Body, limit, cancellationToken);
        }
        catch (BadHttpRequestException error)
        {
            // Kestrel's verdict on the body itself: a malformed chunk (400), a body slower than the minimum data rate
            // or shorter than its Content-Length (408). The client's doing, so its 4xx, not our 500.
            return (default, Unreadable(error));
        }
        catch (IOException error) when (!cancellationToken.IsCancellationRequested)
        {
            // Kestrel reports a chunk size past 32 bits this way ("Bad chunk size data"), and a client that hangs up
            // mid-body too; either way there is no body to take, and whoever is still listening is told so.
            return (default, Problems.Field("body", $"could not be read: {error.Message}"));
        }
    }

    /// <summary>
    /// A body of known length (at most the limit, checked before): read straight into an array of that size, the one
    /// allocation of a request's body. One shorter than its Content-Length makes Kestrel throw (a 4xx above).
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>> ReadExactlyAsync(Stream body, long length, CancellationToken cancellationToken)
    {
        var bytes = new byte[length];
        var filled = 0;
        int read;
        while (filled < bytes.Length && (read = await body.ReadAsync(bytes.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return bytes.AsMemory(0, filled);
    }

    /// <summary>A body without Content-Length (chunked): gathered in a pooled chunk until it ends or passes the limit.</summary>
    private static async Task<(ReadOnlyMemory<byte> Body, IResult? Problem)> ReadChunkedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (default, TooLarge(limit));
                }

                // Into memory, so it completes at once: nothing to cancel.
                await buffer.WriteAsync(chunk.AsMemory(0, read), CancellationToken.None);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return (buffer.ToArray(), null);
    }

    /// <summary>The 4xx for a body Kestrel could not read, naming <c>body</c> and what went wrong.</summary>
    public static IResult Unreadable(BadHttpRequestException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = error.StatusCode is >= 400 and < 500 ? error.StatusCode : StatusCodes.Status400BadRequest;
        var why = status == StatusCodes.Status408RequestTimeout
            ? "arrived too slowly or stopped short of its Content-Length"
            : "could not be read";
        return Problems.Field("body", $"{why}: {error.Message}", status);
    }

    private static IResult TooLarge(long limit) =>
        Problems.Field("body", $"is larger than the limit of {limit} bytes", StatusCodes.Status413PayloadTooLarge);
}
