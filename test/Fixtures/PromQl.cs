namespace CompassCi.Tests.Fixtures;

/// <summary>
/// The metric names a PromQL expression selects, read without a full parser: enough for the dashboards' queries, so a
/// test can check each one against a real scrape. Shared by both test projects (unit tests of the reader itself, and the
/// integration test that scrapes a silo).
/// </summary>
internal static class PromQl
{
    /// <summary>Words that are never metric names: aggregations, their modifiers, set operators and literals.</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
        "limitk", "limit_ratio", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool",
        "and", "or", "unless", "atan2", "inf", "nan",
    };

    /// <summary>Modifiers followed by a list of label names in parentheses.</summary>
    private static readonly HashSet<string> LabelListModifiers = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right",
    };

    /// <summary>
    /// Every distinct metric name <paramref name="expression"/> selects, in order of first appearance: names of functions,
    /// keywords, label names (inside <c>{}</c> and <c>by (…)</c>), string literals, ranges <c>[5m]</c>, numbers,
    /// durations and Grafana variables (<c>$__rate_interval</c>) are skipped. A selector written as
    /// <c>{__name__="x"}</c> gives <c>x</c>.
    /// </summary>
    public static IReadOnlyList<string> MetricNames(string expression)
    {
        var names = new List<string>();
        var text = expression;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(text, i);
            }
            else if (c == '#')
            {
                // A comment runs to the end of its line.
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '{')
            {
                var end = Close(text, i, '{', '}');
                if (NameMatcher(text[(i + 1)..(end - 1)]) is { } name)
                {
                    Add(names, name);
                }

                i = end;
            }
            else if (c == '[')
            {
                i = Close(text, i, '[', ']');
            }
            else if (c == '$')
            {
                // A Grafana variable: $name, ${name} or ${name:format}.
                i++;
                if (i < text.Length && text[i] == '{')
                {
                    i = Close(text, i, '{', '}');
                }
                else
                {
                    i = SkipWord(text, i);
                }
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                // A number (1, 0.99, 1e3, 0x1f) or a duration (5m, 1h30m): digits, letters and dots run together.
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '_'))
                {
                    i++;
                }
            }
            else if (IsWordStart(c))
            {
                var start = i;
                i = SkipWord(text, i);
                var word = text[start..i];
                var next = SkipSpace(text, i);
                if (LabelListModifiers.Contains(word.ToLowerInvariant()))
                {
                    if (next < text.Length && text[next] == '(')
                    {
                        i = Close(text, next, '(', ')');
                    }
                }
                else if (Keywords.Contains(word.ToLowerInvariant()))
                {
                    // Not a metric; what follows is read as usual.
                }
                else if (next < text.Length && text[next] == '(')
                {
                    // A function call: its arguments are read as usual.
                }
                else
                {
                    Add(names, word);
                }
            }
            else
            {
                i++;
            }
        }

        return names;
    }

    /// <summary>
    /// The metric names a Grafana Prometheus variable query selects: <c>label_values(selector, label)</c> gives the
    /// selector's, <c>label_values(label)</c> and <c>metrics(…)</c> none, <c>query_result(expr)</c> the expression's.
    /// </summary>
    public static IReadOnlyList<string> VariableQueryMetricNames(string query)
    {
        var trimmed = query.Trim();
        if (trimmed.StartsWith("label_values(", StringComparison.Ordinal) && trimmed.EndsWith(')'))
        {
            var inner = trimmed["label_values(".Length..^1];
            var comma = LastTopLevelComma(inner);
            return comma < 0 ? [] : MetricNames(inner[..comma]);
        }

        if (trimmed.StartsWith("metrics(", StringComparison.Ordinal) || trimmed.StartsWith("label_names(", StringComparison.Ordinal))
        {
            return [];
        }

        if (trimmed.StartsWith("query_result(", StringComparison.Ordinal) && trimmed.EndsWith(')'))
        {
            return MetricNames(trimmed["query_result(".Length..^1]);
        }

        return MetricNames(trimmed);
    }

    private static void Add(List<string> names, string name)
    {
        if (!names.Contains(name))
        {
            names.Add(name);
        }
    }

    /// <summary>The name in a <c>__name__="x"</c> matcher among a selector's matchers, if any.</summary>
    private static string? NameMatcher(string matchers)
    {
        var at = matchers.IndexOf("__name__", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = matchers[(at + "__name__".Length)..].TrimStart();
        if (!rest.StartsWith('=') || rest.StartsWith("=~", StringComparison.Ordinal))
        {
            return null; // a regular expression names no one metric
        }

        rest = rest[1..].TrimStart();
        if (rest.Length < 2 || rest[0] is not ('"' or '\'' or '`'))
        {
            return null;
        }

        var end = rest.IndexOf(rest[0], 1);
        return end < 0 ? null : rest[1..end];
    }

    private static int LastTopLevelComma(string text)
    {
        var depth = 0;
        var last = -1;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '"' or '\'' or '`':
                    i = SkipString(text, i) - 1;
                    break;
                case '(' or '{' or '[':
                    depth++;
                    break;
                case ')' or '}' or ']':
                    depth--;
                    break;
                case ',' when depth == 0:
                    last = i;
                    break;
            }
        }

        return last;
    }

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';

    private static int SkipWord(string text, int i)
    {
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or ':'))
        {
            i++;
        }

        return i;
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>The index just after the string literal starting at <paramref name="start"/> (escapes honoured, except in raw `…`).</summary>
    private static int SkipString(string text, int start)
    {
        var quote = text[start];
        var i = start + 1;
        while (i < text.Length && text[i] != quote)
        {
            i += text[i] == '\\' && quote != '`' ? 2 : 1;
        }

        return Math.Min(i + 1, text.Length);
    }

    /// <summary>The index just after the bracket that closes the one at <paramref name="start"/>, skipping strings inside.</summary>
    private static int Close(string text, int start, char open, char close)
    {
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] is '"' or '\'' or '`')
            {
                i = SkipString(text, i) - 1;
            }
            else if (text[i] == open)
            {
                depth++;
            }
            else if (text[i] == close && --depth == 0)
            {
                return i + 1;
            }
        }

        return text.Length;
    }
}
