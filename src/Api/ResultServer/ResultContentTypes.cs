using Microsoft.AspNetCore.StaticFiles;

namespace CompassCi.Api.ResultServer;

/// <summary>The content type a result file is served with, by its name.</summary>
public static class ResultContentTypes
{
    private static readonly FileExtensionContentTypeProvider Known = new();

    /// <summary>
    /// By extension; a name without one is text (lkp's <c>output</c>, <c>dmesg</c>, <c>kmsg</c>, <c>time</c>, …), and an
    /// unknown extension is bytes.
    /// </summary>
    public static string Of(string name)
    {
        if (!Path.HasExtension(name))
        {
            return "text/plain; charset=utf-8";
        }

        return Known.TryGetContentType(name, out var type) ? type : "application/octet-stream";
    }
}
