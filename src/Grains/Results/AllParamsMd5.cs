using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Results;

/// <summary>
/// Which runs are "the same test": compass-ci's <c>all_params_md5</c> (<c>src/lib/job.cr</c> <c>set_params_md5</c>,
/// <c>get_md5</c>; the fields are <c>COMMON_PARAMS</c> in <c>src/lib/constants.cr</c>). It is the MD5, in lowercase hex,
/// of the text Crystal prints for the sorted array of (key, value) pairs of the flattened <c>pp</c>
/// (<see cref="PpParams.Flatten"/>) plus <c>tbox_group</c>, <c>os</c>, <c>os_arch</c> and <c>os_version</c>:
/// <c>[{"key", "value"}, {"key2", "value2"}]</c>. The regression plugin finds a job's earlier runs by it.
/// </summary>
public static class AllParamsMd5
{
    /// <summary>The document field and the <c>jobs</c> column (compass-ci's name).</summary>
    public const string Field = "all_params_md5";

    /// <summary>The top-level fields that join the pp (compass-ci's <c>COMMON_PARAMS</c>).</summary>
    public static readonly IReadOnlyList<string> CommonParams = ["tbox_group", "os", "os_arch", "os_version"];

    /// <summary>
    /// The MD5 of <paramref name="document"/>'s parameters. <c>os_arch</c> is <c>arch</c> when given (compass-ci's
    /// <c>set_os_arch</c>). compass-ci refuses a job without these fields; here a field the job does not have is left out.
    /// </summary>
    public static string Of(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var all = new Dictionary<string, string>(PpParams.Flatten(document), StringComparer.Ordinal);
        foreach (var name in CommonParams)
        {
            var value = name == "os_arch" ? PpParams.Field(document, "arch") ?? PpParams.Field(document, name) : PpParams.Field(document, name);
            if (value is not null)
            {
                all[name] = value;
            }
        }

        // MD5 names a set of parameters here, as in compass-ci (the regression plugin compares with its values); no secret
        // or integrity rests on it.
#pragma warning disable CA5351
        return Hex(MD5.HashData(Encoding.UTF8.GetBytes(CrystalText(all))));
#pragma warning restore CA5351
    }

    /// <summary>
    /// <c>hash.to_a.sort.to_s</c> in Crystal: the pairs sorted by key (keys are unique, so the values never decide;
    /// Crystal compares strings byte by byte, which ordinal order matches for all but surrogate pairs), each printed
    /// as a tuple of inspected strings.
    /// </summary>
    public static string CrystalText(IReadOnlyDictionary<string, string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var text = new StringBuilder("[");
        var first = true;
        foreach (var key in pairs.Keys.Order(StringComparer.Ordinal))
        {
            text.Append(first ? "{" : ", {");
            first = false;
            Inspect(text, key);
            text.Append(", ");
            Inspect(text, pairs[key]);
            text.Append('}');
        }

        return text.Append(']').ToString();
    }

    /// <summary>
    /// Crystal's <c>String#inspect</c>: quoted, with <c>"</c>, <c>\</c>, the C escapes and <c>#{</c> escaped. Other
    /// control characters print as <c>\u{XX}</c>; real pp values never hold them.
    /// </summary>
    private static void Inspect(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\a' => "\\a",
                '\b' => "\\b",
                '\u001b' => "\\e",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                '#' when i + 1 < value.Length && value[i + 1] == '{' => "\\#",
                _ when c < ' ' || c == '\u007f' => $"\\u{{{((int)c).ToString("X", CultureInfo.InvariantCulture)}}}",
                _ => c.ToString(),
            });
        }

        text.Append('"');
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
