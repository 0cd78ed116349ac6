using System.Text.RegularExpressions;

namespace CompassCi.Grains.Compat.JobInitrd;

/// <summary>
/// A value written into <c>job.sh</c> so that the shell reads it back literally. Numbers stay bare (lkp and compass-ci
/// write them so); everything else is single-quoted, a <c>'</c> inside written as <c>'\''</c>. Unlike the double quotes
/// lkp and compass-ci chose for values with a <c>'</c> or a <c>$</c>, single quotes expand nothing: a value such as
/// <c>$(reboot)</c> or a backtick is text, never a command, and a newline stays a newline.
/// </summary>
public static partial class ShellWord
{
    /// <summary>The shell word for <paramref name="value"/>.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Number().IsMatch(value) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Whether <paramref name="name"/> can be a shell variable's name (what <c>export name=…</c> accepts).</summary>
    public static bool IsVariableName(string name) => VariableName().IsMatch(name);

    // A decimal number, optionally signed, with a fraction or an exponent: nothing the shell would interpret.
    [GeneratedRegex(@"^[+-]?([0-9]*\.?[0-9]+|[0-9]+\.?[0-9]*)([eE][+-]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    [GeneratedRegex(@"^[a-zA-Z_][a-zA-Z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();
}
