using System.Globalization;

namespace CompassCi.LoadGenerator;

/// <summary>Reads one metric out of a Prometheus text exposition (GET /metrics).</summary>
public static class MetricsText
{
    /// <summary>
    /// The sum of every sample of <paramref name="name"/> (over all label sets), or null when the text has none:
    /// "name 3" and "name{a="b"} 4" both count, "name_total 5" and comment lines do not.
    /// </summary>
    public static double? Sum(string text, string name)
    {
        double? sum = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length <= name.Length || line[0] == '#' || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[name.Length..];
            if (rest[0] == '{')
            {
                var close = rest.IndexOf('}', StringComparison.Ordinal);
                if (close < 0) continue;
                rest = rest[(close + 1)..];
            }
            else if (rest[0] != ' ')
            {
                continue;
            }

            // "value [timestamp]"
            var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 1 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                sum = (sum ?? 0) + value;
            }
        }

        return sum;
    }
}
