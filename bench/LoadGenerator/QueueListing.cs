using System.Text.Json;

namespace CompassCi.LoadGenerator;

/// <summary>Reads GET /api/v1/queues: <c>[{"key": …, "pending": n, "oldest_submit_time": …}, …]</c>.</summary>
public static class QueueListing
{
    /// <summary>The sum of every queue's pending count, or null when the body is not such an array.</summary>
    public static long? TotalPending(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            long total = 0;
            foreach (var queue in document.RootElement.EnumerateArray())
            {
                if (queue.ValueKind != JsonValueKind.Object || !queue.TryGetProperty("pending", out var pending) || !pending.TryGetInt64(out var n))
                {
                    return null;
                }

                total += n;
            }

            return total;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
