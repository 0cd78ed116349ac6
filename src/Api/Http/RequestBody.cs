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

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (default, TooLarge(limit));
            }

            // Into memory, so it completes at once: nothing to cancel.
            await buffer.WriteAsync(chunk.AsMemory(0, read), CancellationToken.None);
        }

        return (buffer.ToArray(), null);
    }

    private static IResult TooLarge(long limit) =>
        Problems.Field("body", $"is larger than the limit of {limit} bytes", StatusCodes.Status413PayloadTooLarge);
}
