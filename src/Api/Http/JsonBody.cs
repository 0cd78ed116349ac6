using CompassCi.Grains.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Api.Http;

/// <summary>Request bodies that must be one JSON object: read with the size limit, parsed, 400 naming <c>body</c> otherwise.</summary>
public static class JsonBody
{
    /// <summary>
    /// The body as a JSON object, or the problem to answer. <paramref name="example"/> completes the message for a body
    /// that is valid JSON but not an object; <paramref name="emptyIsObject"/> lets an empty body stand for <c>{}</c>.
    /// </summary>
    public static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(
        HttpRequest request, long limit, CancellationToken cancellationToken, string example = "", bool emptyIsObject = false)
    {
        var (bytes, tooLarge) = await RequestBody.ReadAsync(request, limit, cancellationToken);
        if (tooLarge is not null)
        {
            return (null, tooLarge);
        }

        if (bytes.IsEmpty && emptyIsObject)
        {
            return ([], null);
        }

        var (root, error) = StrictJson.Parse(bytes.Span);
        if (error is not null)
        {
            return (null, Problems.Field("body", error));
        }

        return root is JsonObject body
            ? (body, null)
            : (null, Problems.Field("body", "must be a JSON object" + example));
    }
}
