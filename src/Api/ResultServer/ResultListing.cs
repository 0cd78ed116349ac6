using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Grains.Results;

namespace CompassCi.Api.ResultServer;

/// <summary>A collection's entries: JSON by default, an HTML page with links for a browser (<c>Accept: text/html</c>).</summary>
public static class ResultListing
{
    public static IResult Render(ResultPath path, IReadOnlyList<FileSystemInfo> entries, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(request);
        var folder = path.Text + "/";
        var wantsHtml = request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);
        return wantsHtml ? Results.Content(Html(folder, entries), "text/html; charset=utf-8") : Results.Json(Json(folder, entries));
    }

    private static JsonObject Json(string folder, IReadOnlyList<FileSystemInfo> entries) => new()
    {
        ["path"] = folder,
        ["entries"] = new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject
        {
            ["name"] = e.Name,
            ["type"] = e is DirectoryInfo ? "collection" : "file",
            ["size"] = e is FileInfo file ? file.Length : null,
            ["modified"] = new DateTimeOffset(e.LastWriteTimeUtc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        })]),
    };

    private static string Html(string folder, IReadOnlyList<FileSystemInfo> entries)
    {
        var title = WebUtility.HtmlEncode(folder);
        var page = new StringBuilder($"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\n<h1>{title}</h1>\n<ul>\n");
        if (folder != ResultRoot.Prefix + "/")
        {
            page.Append("<li><a href=\"../\">../</a></li>\n");
        }

        foreach (var entry in entries)
        {
            var name = entry.Name + (entry is DirectoryInfo ? "/" : "");
            var size = entry is FileInfo file ? $" ({file.Length.ToString(CultureInfo.InvariantCulture)} bytes)" : "";
            page.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{WebUtility.HtmlEncode(Uri.EscapeDataString(entry.Name) + (entry is DirectoryInfo ? "/" : ""))}\">{WebUtility.HtmlEncode(name)}</a>{size}</li>\n");
        }

        return page.Append("</ul>\n</body></html>\n").ToString();
    }
}
