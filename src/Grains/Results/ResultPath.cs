using System.Text;
using System.Text.Unicode;
using CompassCi.Grains.Text;

namespace CompassCi.Grains.Results;

/// <summary>
/// A request path under <c>/result</c>, checked and split into plain names before it touches the file system. Read from
/// the raw request target, because the server would already have removed <c>..</c> segments from the decoded path.
/// </summary>
public sealed record ResultPath
{
    /// <summary>The names below <c>/result</c>, decoded.</summary>
    public required IReadOnlyList<string> Names { get; init; }

    /// <summary>The path ended with '/' (a collection, as MKCOL names it).</summary>
    public required bool EndsWithSlash { get; init; }

    /// <summary>The path as <c>/result/a/b</c>, decoded, without a trailing '/'.</summary>
    public string Text => ResultRoot.Prefix + string.Concat(Names.Select(n => "/" + n));

    /// <summary>Names the server's own partial uploads start with; no client path may use it.</summary>
    public const string TemporaryPrefix = ".compassci-upload-";

    /// <summary>The longest name the file systems we run on take, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>
    /// Reads <paramref name="rawPath"/> (the raw target without its query). Repeated slashes are read as one: lkp-tests'
    /// own <c>upload_files -t a/b</c> sends <c>…/a//b/</c>, and compass-ci's nginx merges them too. Refused (null, with
    /// <paramref name="problem"/> saying why): a path outside <c>/result</c>; a <c>.</c> or <c>..</c> segment, written
    /// plainly or with escapes; escapes that are broken, are not UTF-8, or decode to '/', '\' or a control character; a
    /// raw '\' or control character; a name longer than <see cref="MaxNameBytes"/> bytes or starting with
    /// <see cref="TemporaryPrefix"/>.
    /// </summary>
    public static ResultPath? Parse(string rawPath, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        problem = null;
        if (rawPath != ResultRoot.Prefix && !rawPath.StartsWith(ResultRoot.Prefix + "/", StringComparison.Ordinal))
        {
            problem = $"'{rawPath}' is not under {ResultRoot.Prefix}/";
            return null;
        }

        var names = new List<string>();
        foreach (var segment in rawPath[ResultRoot.Prefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Name(segment, out problem) is not { } name)
            {
                problem = $"'{rawPath}' is refused: {problem}";
                return null;
            }

            names.Add(name);
        }

        return new ResultPath { Names = names, EndsWithSlash = rawPath.EndsWith('/') };
    }

    /// <summary>Whether this path is <paramref name="root"/> or lies inside it.</summary>
    public bool IsWithin(IReadOnlyList<string> root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return Names.Count >= root.Count && root.Select((n, i) => n == Names[i]).All(same => same);
    }

    private static string? Name(string segment, out string? problem)
    {
        problem = null;
        var bytes = PercentDecoding.Bytes(segment);
        if (bytes is null)
        {
            problem = $"segment '{segment}' holds a '%' that is not followed by two hex digits";
            return null;
        }

        if (!Utf8.IsValid(bytes))
        {
            problem = $"segment '{segment}' percent-decodes to bytes that are not UTF-8 text";
            return null;
        }

        var name = Encoding.UTF8.GetString(bytes);
        problem = name switch
        {
            "." or ".." => $"segment '{segment}' is '{name}', which would leave the folder it names",
            _ when name.Any(c => c < ' ' || c == '\u007f') => $"segment '{segment}' holds control characters",
            _ when name.Contains('/') => $"segment '{segment}' holds an escaped '/'",
            _ when name.Contains('\\') => $"segment '{segment}' holds a '\\'",
            _ when bytes.Length > MaxNameBytes => $"segment '{segment}' is longer than {MaxNameBytes} bytes",
            _ when name.StartsWith(TemporaryPrefix, StringComparison.Ordinal) => $"names starting with '{TemporaryPrefix}' are the server's own",
            _ => null,
        };
        return problem is null ? name : null;
    }
}
