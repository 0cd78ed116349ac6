using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CompassCi.Grains.JobFiles;

/// <summary>
/// The Ruby snippets an lkp job file may hold: ERB (<c>&lt;%= … %&gt;</c>, <c>&lt;% … %&gt;</c>), which lkp's submit runs
/// before it reads the YAML, and <c>{{ … }}</c> expressions, which it evaluates while expanding. Neither is ever run
/// here (they read the submitter's files, call <c>system</c>, …). Each is masked by a marker before the YAML is read,
/// so the file still parses; a marker that is still in a job after the overrides names its line and key.
/// </summary>
internal sealed partial class TemplateSnippets
{
    // Private-use characters: no job file writes them, and YAML reads them as plain text.
    private const char Open = '\uE000';
    private const char Close = '\uE001';

    private readonly List<int> _lines = [];

    private TemplateSnippets(string masked) => Masked = masked;

    /// <summary>The file with every snippet replaced by a marker (and the line breaks it held, so lines keep their numbers).</summary>
    public string Masked { get; }

    /// <summary>How many snippets the file holds.</summary>
    public int Count => _lines.Count;

    /// <summary>The 1-based line of the first snippet.</summary>
    public int FirstLine => _lines[0];

    /// <summary>Finds and masks the snippets of <paramref name="text"/>.</summary>
    public static TemplateSnippets Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<int>();
        var masked = Snippet().Replace(text, match =>
        {
            var line = 1 + text.AsSpan(0, match.Index).Count('\n');
            lines.Add(line);
            var breaks = match.ValueSpan.Count('\n');
            return $"{Open}{(lines.Count - 1).ToString(CultureInfo.InvariantCulture)}{Close}{new string('\n', breaks)}";
        });
        var snippets = new TemplateSnippets(masked);
        snippets._lines.AddRange(lines);
        return snippets;
    }

    /// <summary>The 1-based line of the first snippet whose marker <paramref name="text"/> holds; null when it holds none.</summary>
    public int? LineIn(string text)
    {
        var open = text.IndexOf(Open, StringComparison.Ordinal);
        var close = open < 0 ? -1 : text.IndexOf(Close, open);
        return close > open && int.TryParse(text.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < _lines.Count
            ? _lines[index]
            : null;
    }

    /// <summary>The snippet lines, for a message when the masked file still does not parse.</summary>
    public string DescribeLines() =>
        new StringBuilder().AppendJoin(", ", _lines.Distinct()).ToString();

    // ERB tags may span lines; {{ … }} is lkp's expression form (lib/erb.rb), which also may.
    [GeneratedRegex(@"<%.*?%>|\{\{.*?\}\}", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Snippet();
}
