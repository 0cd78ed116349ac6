using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CompassCi.Tests.Integration.Hostile;

/// <summary>
/// Turns the text of a case file into the exact bytes sent: <c>\xHH</c> is one byte, <c>{{repeat N:TEXT}}</c> is TEXT
/// N times (so a 50 MB body is one short line), <c>{{seq N:TEXT}}</c> the same with each '#' replaced by the copy's
/// number, every other character is its UTF-8. See README.md.
/// </summary>
public static partial class CaseText
{
    /// <summary>The bytes <paramref name="text"/> stands for.</summary>
    public static byte[] ToBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var output = new MemoryStream();
        var at = 0;
        foreach (Match generator in Generator().Matches(text))
        {
            Unescape(text[at..generator.Index], output);
            var count = int.Parse(generator.Groups["count"].Value, CultureInfo.InvariantCulture);
            var unit = generator.Groups["text"].Value;
            var repeated = Unescape(unit);
            for (var i = 0; i < count; i++)
            {
                // seq numbers each copy ('#' is its index), for documents that need distinct keys.
                output.Write(generator.Groups["op"].Value == "seq" ? Unescape(unit.Replace("#", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)) : repeated);
            }

            at = generator.Index + generator.Length;
        }

        Unescape(text[at..], output);
        return output.ToArray();
    }

    /// <summary>Whether <paramref name="text"/> holds a generator whose opening is not a valid one (a typo in a case).</summary>
    public static string? SyntaxError(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var opened = text.Split("{{").Length - 1;
        var valid = Generator().Count(text);
        return opened == valid ? null : "'{{' starts something that is not {{repeat N:TEXT}} or {{seq N:TEXT}}; write a literal '{{' as {\\x7B";
    }

    private static byte[] Unescape(string text)
    {
        using var output = new MemoryStream();
        Unescape(text, output);
        return output.ToArray();
    }

    private static void Unescape(string text, MemoryStream output)
    {
        var plain = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x' && IsHex(text[i + 2]) && IsHex(text[i + 3]))
            {
                output.Write(Encoding.UTF8.GetBytes(plain.ToString()));
                plain.Clear();
                output.WriteByte(byte.Parse(text.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 3;
            }
            else
            {
                plain.Append(text[i]);
            }
        }

        output.Write(Encoding.UTF8.GetBytes(plain.ToString()));
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    [GeneratedRegex(@"\{\{(?<op>repeat|seq) (?<count>[0-9]{1,9}):(?<text>.*?)\}\}", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Generator();
}
