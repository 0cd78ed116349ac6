using System.Text;
using CompassCi.Grains.Submit;

namespace CompassCi.Grains.JobFiles;

/// <summary>An lkp job file sent as a request body: YAML (or JSON, which YAML reads too), in UTF-8.</summary>
public static class JobFileBody
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The text of <paramref name="body"/>, or an error naming <c>content_type</c> (a type the submit does not take,
    /// answered 415) or <c>body</c> (not UTF-8, or empty).
    /// </summary>
    public static (string? Text, JobFileExpansion? Error) Decode(ReadOnlyMemory<byte> body, string? contentType)
    {
        if (!JobContentType.TryResolve(contentType, out _, out var typeError))
        {
            return (null, JobFileExpansion.Failure(JobDocumentReader.ContentTypeField, typeError));
        }

        var bytes = body.Span;
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (bytes.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return (null, JobFileExpansion.Failure(JobFileExpander.BodyField, "is empty; send an lkp job file"));
        }

        try
        {
            return (StrictUtf8.GetString(bytes), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, JobFileExpansion.Failure(JobFileExpander.BodyField, "is not valid UTF-8"));
        }
    }
}
