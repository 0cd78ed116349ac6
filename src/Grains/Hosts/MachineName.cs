using System.Text.RegularExpressions;
using CompassCi.Grains.Storage;

namespace CompassCi.Grains.Hosts;

/// <summary>
/// The one grammar for testbox and host names, wherever they come from (a path, a body, a job's <c>testbox</c>):
/// what lkp-tests and compass-ci name machines with — <c>vm-2p8g--h1-0</c>,
/// <c>taishan200-2280-2s48p-256g--a45</c>, <c>dc-8g.hostx-3</c>, <c>lkp-skl-d01</c> — letters, digits, '.', '_' and
/// '-', starting with a letter or digit, at most as long as the column. Such a name is safe in a path, a log line,
/// a shell variable and a file name, and a name outside it can never be a real machine.
/// </summary>
public static partial class MachineName
{
    /// <summary>Why <paramref name="name"/> cannot name a machine, or null when it can; the message names no field.</summary>
    public static string? Error(string? name)
    {
        var limit = Math.Min(ColumnLimits.Testbox, ColumnLimits.Host);
        if (string.IsNullOrEmpty(name))
        {
            return "must not be empty";
        }

        if (name.Length > limit)
        {
            return $"is {name.Length} characters long; the limit is {limit}";
        }

        return Pattern().IsMatch(name)
            ? null
            : $"'{Printable(name)}' is not a machine name: use letters, digits, '.', '_' and '-', starting with a letter or digit";
    }

    /// <summary>The name as it may be shown back: control characters escaped, so a message cannot forge log lines.</summary>
    private static string Printable(string name) =>
        string.Concat(name.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
