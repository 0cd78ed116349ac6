using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Results;

/// <summary>
/// Where a job's results live: <c>/result/&lt;suite&gt;/&lt;submit date&gt;/&lt;tbox_group&gt;/&lt;rootfs&gt;/&lt;pp values&gt;/&lt;id&gt;</c>,
/// compass-ci's rule (<c>src/lib/job.cr</c> <c>set_result_root</c>, <c>set_rootfs</c>, <c>set_submit_date</c>;
/// <c>src/scheduler/pp_params.cr</c> <c>sort_pp_params</c>). The testbox uploads there (lkp's <c>JOB_RESULT_ROOT</c>), and
/// the files are kept at <c>&lt;Results:Root&gt;&lt;result_root&gt;</c>.
/// </summary>
public static class ResultRoot
{
    /// <summary>The document field (compass-ci's name).</summary>
    public const string Field = "result_root";

    /// <summary>Every result_root starts here.</summary>
    public const string Prefix = "/result";

    /// <summary>The pp values take at most this many characters (compass-ci counts the values, not the '-' between them).</summary>
    public const int PpBudget = 40;

    /// <summary>Longest a suite, tbox_group or rootfs segment may be here; the file system takes 255 bytes per name.</summary>
    public const int MaxSegment = 128;

    /// <summary>
    /// The result_root of job <paramref name="id"/> submitted on <paramref name="submitDate"/> (compass-ci: the server's
    /// local date, <c>%F</c>). Empty parts are left out, as compass-ci's <c>File.join</c> of an empty pp does.
    /// </summary>
    public static string For(JsonObject document, long id, DateOnly submitDate)
    {
        ArgumentNullException.ThrowIfNull(document);
        string?[] segments =
        [
            Segment(PpParams.Field(document, "suite")),
            submitDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Segment(PpParams.Field(document, "tbox_group")),
            Segment(Rootfs(document)),
            NotDots(PpValues(PpParams.Flatten(document))),
            id.ToString(CultureInfo.InvariantCulture),
        ];
        return Prefix + string.Concat(segments.Where(s => !string.IsNullOrEmpty(s)).Select(s => "/" + s));
    }

    /// <summary>
    /// compass-ci's <c>rootfs</c>: <c>os-os_version-os_arch</c> (<c>os_arch</c> is <c>arch</c> when given). compass-ci
    /// requires all three; here a job may leave them out, and the ones given are joined.
    /// </summary>
    public static string Rootfs(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var arch = PpParams.Field(document, "arch") ?? PpParams.Field(document, "os_arch");
        return string.Join('-', new[] { PpParams.Field(document, "os"), PpParams.Field(document, "os_version"), arch }.Where(p => !string.IsNullOrEmpty(p)));
    }

    /// <summary>
    /// compass-ci's <c>sort_keys_return_values</c>: the values in key order, each reduced to letters, digits, '_', '-' and
    /// '.' ('/' becoming '-'), empty ones skipped, cut when <see cref="PpBudget"/> characters are used, joined with '-',
    /// with leading and trailing '-' removed.
    /// </summary>
    public static string PpValues(IReadOnlyDictionary<string, string> flatPp)
    {
        ArgumentNullException.ThrowIfNull(flatPp);
        var values = new List<string>();
        var used = 0;
        foreach (var key in flatPp.Keys.Order(StringComparer.Ordinal))
        {
            if (used >= PpBudget)
            {
                break;
            }

            var value = new string([.. flatPp[key].Replace('/', '-').Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')]);
            if (value.Length == 0)
            {
                continue;
            }

            if (used + value.Length > PpBudget)
            {
                value = value[..(PpBudget - used)];
            }

            values.Add(value);
            used += value.Length;
        }

        return string.Join('-', values).Trim().Trim('-');
    }

    /// <summary>
    /// A client's text as one path segment: characters a URL or a shell would need to escape become '_' (compass-ci
    /// takes them as they are; its suites, testboxes and os names never have them), and it is cut to
    /// <see cref="MaxSegment"/>. Null or empty stays empty (left out).
    /// </summary>
    private static string? Segment(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var clean = new StringBuilder(Math.Min(text.Length, MaxSegment));
        foreach (var c in text.Take(MaxSegment))
        {
            clean.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '+' or '@' or ',' or ':' or '=' ? c : '_');
        }

        return NotDots(clean.ToString());
    }

    /// <summary>A segment of dots alone would name this folder or its parent; it becomes '_'.</summary>
    private static string NotDots(string segment) => segment is "." or ".." ? "_" : segment;

    /// <summary>The path segments of a result_root (without the leading empty one).</summary>
    public static IReadOnlyList<string> Segments(string resultRoot)
    {
        ArgumentNullException.ThrowIfNull(resultRoot);
        return resultRoot.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }
}
