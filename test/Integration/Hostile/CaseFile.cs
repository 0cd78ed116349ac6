using System.Globalization;
using System.Text.RegularExpressions;

using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Hostile;

/// <summary>
/// Reads the corpus's <c>*.cases</c> files (format in README.md). A mistake in a file stops the run with its file and
/// line, so a broken case can never pass silently.
/// </summary>
public static partial class CaseFile
{
    /// <summary>The folder the case files are copied to beside the test binaries.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Hostile");

    private static readonly Lazy<IReadOnlyList<HostileCase>> Corpus = new(() =>
        [.. Directory.GetFiles(Folder, "*.cases").Order(StringComparer.Ordinal).SelectMany(f => Read(Path.GetFileName(f), File.ReadAllText(f)))]);

    /// <summary>Every case of every file, in file order.</summary>
    public static IReadOnlyList<HostileCase> All => Corpus.Value;

    public static HostileCase ById(string id) => All.Single(c => c.Id == id);

    /// <summary>The placeholders a case may use; <see cref="HostileSilo"/> provides each.</summary>
    public static readonly IReadOnlySet<string> Placeholders = new HashSet<string>(StringComparer.Ordinal)
    {
        "pending_job", "held_job", "held_testbox", "running_job", "running_testbox", "finished_job",
        "cluster_id", "cluster_job", "cluster_spec_name",
    };

    public static IEnumerable<HostileCase> Read(string file, string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var starts = Enumerable.Range(0, lines.Length).Where(i => lines[i].StartsWith("===", StringComparison.Ordinal)).ToList();
        for (var s = 0; s < starts.Count; s++)
        {
            var end = s + 1 < starts.Count ? starts[s + 1] : lines.Length;
            yield return ReadCase(file, starts[s] + 1, lines[starts[s]..end]);
        }
    }

    private static HostileCase ReadCase(string file, int line, string[] lines)
    {
        string Where() => $"{file}:{line}";
        var name = lines[0].TrimStart('=').Trim();
        if (name.Length == 0)
        {
            throw new FormatException($"{Where()}: a case needs a name after ===");
        }

        var directives = new List<(string Key, string Value)>();
        var i = 1;
        for (; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 || lines[i].StartsWith('#'))
            {
                continue;
            }

            var directive = Directive().Match(lines[i]);
            if (!directive.Success)
            {
                break;
            }

            directives.Add((directive.Groups["key"].Value, directive.Groups["value"].Value.Trim()));
        }

        if (i == lines.Length)
        {
            throw new FormatException($"{Where()}: case '{name}' has no request line");
        }

        var requestLine = lines[i++];
        if (!requestLine.Split(' ')[^1].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            requestLine += " HTTP/1.1";
        }

        var headers = new List<string>();
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            headers.Add(lines[i]);
        }

        // After the blank line, the body up to the next case, without the blank lines that separate cases.
        var bodyLines = i < lines.Length ? lines[(i + 1)..].ToList() : [];
        while (bodyLines.Count > 0 && bodyLines[^1].Length == 0)
        {
            bodyLines.RemoveAt(bodyLines.Count - 1);
        }

        var hostile = new HostileCase
        {
            File = file,
            Line = line,
            Name = name,
            Expect = [],
            RequestLine = requestLine,
            Headers = headers,
            Body = string.Empty,
        };
        foreach (var (key, value) in directives)
        {
            hostile = key switch
            {
                "expect" => hostile with { Expect = [.. value.Split(['|', ' '], StringSplitOptions.RemoveEmptyEntries)] },
                "names" => hostile with { Names = value },
                "no-message" => hostile with { NoMessage = value },
                "body-has" => hostile with { BodyHas = [.. hostile.BodyHas, value] },
                "omit" => hostile with { Omit = [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant())] },
                "timeout" => hostile with { Timeout = TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                "body" when value == "crlf" => hostile with { BodyCrlf = true },
                "send" => ReadSend(hostile, value, Where),
                _ => throw new FormatException($"{Where()}: unknown directive '{key}: {value}'"),
            };
        }

        hostile = hostile with { Body = hostile.BodyCrlf ? string.Concat(bodyLines.Select(l => l + "\r\n")) : string.Join('\n', bodyLines) };
        Check(hostile, Where);
        return hostile;
    }

    private static HostileCase ReadSend(HostileCase hostile, string value, Func<string> where)
    {
        var words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words switch
        {
            ["normal"] => hostile with { Send = SendMode.Normal },
            ["stall"] => hostile with { Send = SendMode.Stall },
            ["trickle", var rate] => hostile with { Send = SendMode.Trickle, TrickleBytesPerSecond = int.Parse(rate, CultureInfo.InvariantCulture) },
            _ => throw new FormatException($"{where()}: send must be normal, stall or trickle <bytes per second>, not '{value}'"),
        };
    }

    private static void Check(HostileCase hostile, Func<string> where)
    {
        if (hostile.Expect.Count == 0)
        {
            throw new FormatException($"{where()}: case '{hostile.Name}' has no 'expect:'");
        }

        foreach (var expected in hostile.Expect)
        {
            if (!ExpectWord().IsMatch(expected))
            {
                throw new FormatException($"{where()}: expect '{expected}' is not 2xx, 4xx, a 2xx/4xx code or close");
            }
        }

        if (hostile.Expect.Contains("close") && hostile.NoMessage is null && hostile.Send == SendMode.Normal)
        {
            throw new FormatException($"{where()}: only a no-message (Kestrel-level) or slow-client case may accept a closed connection");
        }

        foreach (var text in new[] { hostile.RequestLine, hostile.Body }.Concat(hostile.Headers))
        {
            if (CaseText.SyntaxError(text) is { } error)
            {
                throw new FormatException($"{where()}: {error}");
            }

            foreach (Match placeholder in Placeholder().Matches(text))
            {
                if (!Placeholders.Contains(placeholder.Groups[1].Value))
                {
                    throw new FormatException($"{where()}: unknown placeholder {placeholder.Value}; known: {string.Join(", ", Placeholders)}");
                }
            }
        }
    }

    /// <summary>The placeholders in <paramref name="text"/>: <c>{word_word}</c>.</summary>
    public static IEnumerable<string> PlaceholdersIn(string text) => Placeholder().Matches(text).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"^(?<key>[a-z][a-z-]*):(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Directive();

    [GeneratedRegex(@"^(2xx|4xx|2[0-9][0-9]|4[0-9][0-9]|close)$", RegexOptions.CultureInvariant)]
    private static partial Regex ExpectWord();

    [GeneratedRegex(@"\{([a-z]+(?:_[a-z]+)+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
