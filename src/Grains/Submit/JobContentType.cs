using System.Diagnostics.CodeAnalysis;

namespace CompassCi.Grains.Submit;

/// <summary>Which <see cref="JobBodyFormat"/> a Content-Type header names.</summary>
internal static class JobContentType
{
    private static readonly HashSet<string> JsonTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/json",
        "text/json",
    };

    private static readonly HashSet<string> YamlTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/yaml",
        "application/x-yaml",
        "text/yaml",
        "text/x-yaml",
    };

    private static readonly HashSet<string> Utf8Charsets = new(StringComparer.OrdinalIgnoreCase)
    {
        "utf-8",
        "utf8",
        "us-ascii",
    };

    /// <summary>
    /// The format of a body sent with <paramref name="contentType"/>. No header means JSON, since that is what
    /// lkp-tests' submit posts. Parameters other than a UTF-8 charset are ignored.
    /// </summary>
    public static bool TryResolve(string? contentType, out JobBodyFormat format, [NotNullWhen(false)] out string? error)
    {
        format = JobBodyFormat.Json;
        error = null;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        var parts = contentType.Split(';', StringSplitOptions.TrimEntries);
        var mediaType = parts[0];
        foreach (var parameter in parts.Skip(1))
        {
            var (name, value) = parameter.IndexOf('=', StringComparison.Ordinal) is var at and >= 0
                ? (parameter[..at].Trim(), parameter[(at + 1)..].Trim().Trim('"'))
                : (parameter, string.Empty);
            if (name.Equals("charset", StringComparison.OrdinalIgnoreCase) && !Utf8Charsets.Contains(value))
            {
                error = $"charset \"{value}\" is not supported; send UTF-8";
                return false;
            }
        }

        if (JsonTypes.Contains(mediaType) || IsStructuredJson(mediaType))
        {
            return true;
        }

        if (YamlTypes.Contains(mediaType))
        {
            format = JobBodyFormat.Yaml;
            return true;
        }

        error = $"\"{mediaType}\" is not supported; send application/json or application/yaml";
        return false;
    }

    /// <summary><c>application/*+json</c> (RFC 6839), e.g. <c>application/problem+json</c>.</summary>
    private static bool IsStructuredJson(string mediaType) =>
        mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
        && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
        && mediaType.Length > "application/+json".Length;
}
