using System.Globalization;

namespace CompassCi.Tests.Integration.Telemetry;

/// <summary>One scrape of <c>/metrics</c> (Prometheus text format), read by metric name and labels.</summary>
public sealed class Scrape(string text)
{
    public string Text => text;

    public static async Task<Scrape> OfAsync(HttpClient http) =>
        new(await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken));

    /// <summary>The samples of <paramref name="metric"/> (exact name, suffix included) whose labels include every one of <paramref name="labels"/>.</summary>
    public IReadOnlyList<(string Line, double Value)> Samples(string metric, params string[] labels) =>
        [.. text.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .Select(l => (l, ValueOf(l)))];

    /// <summary>The value of the one sample that matches; fails when there is none or several.</summary>
    public double Value(string metric, params string[] labels)
    {
        var samples = Samples(metric, labels);
        Assert.True(samples.Count == 1, $"expected one sample of {metric} with {string.Join(", ", labels)}, found {samples.Count}:\n{string.Join('\n', samples.Select(s => s.Line))}");
        return samples[0].Value;
    }

    /// <summary>The value of the one sample that matches, or null when there is none.</summary>
    public double? ValueOrNull(string metric, params string[] labels) => Samples(metric, labels) is [var one] ? one.Value : null;

    private static double ValueOf(string line)
    {
        var afterLabels = line.LastIndexOf('}') is var close and >= 0 ? line[(close + 1)..] : line[line.IndexOf(' ', StringComparison.Ordinal)..];
        return double.Parse(afterLabels.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
