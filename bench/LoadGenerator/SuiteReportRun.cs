using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.LoadGenerator;

/// <summary>
/// --mode suite-report: reads what bench/suite.sh left in --results-dir ({side}-depth-{N}.json, {side}-long-poll.json,
/// {side}-restart.json for side before/after, and suite.json with the suite's settings), prints the one table and
/// writes every figure, per side, per depth, plus the items' own JSON, to --json.
/// </summary>
public static class SuiteReportRun
{
    private static readonly string[] Sides = ["before", "after"];

    public static async Task<int> RunAsync(BenchOptions options, TextWriter output)
    {
        var dir = options.ResultsDir!;
        if (!Directory.Exists(dir))
        {
            await Console.Error.WriteLineAsync($"--results-dir {dir}: no such directory");
            return 2;
        }

        var sides = Sides.ToDictionary(s => s, s => Load(dir, s));
        var depths = DepthsOf(sides.Values.SelectMany(items => items.Keys));
        var withBefore = sides["before"].Count > 0;
        var rows = Build(depths, sides["before"], sides["after"]);

        await output.WriteLineAsync();
        await output.WriteAsync(SuiteTable.Render(rows, withBefore));
        var met = rows.Count(r => r.TargetMet == true);
        var missed = rows.Count(r => r.TargetMet == false);
        await output.WriteLineAsync($"\ntargets (issue 17, judged on the after column; rate, p99 and memory targets at {SuiteFigures.Depth(SuiteFigures.TargetDepth)} pending): {met} met, {missed} missed");

        if (options.JsonPath is { } path)
        {
            var settings = File.Exists(Path.Combine(dir, "suite.json")) ? JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "suite.json"))) : null;
            var json = new JsonObject
            {
                ["suite"] = settings,
                ["depths"] = new JsonArray(depths.Select(d => (JsonNode)d).ToArray()),
                ["targets_met"] = met,
                ["targets_missed"] = missed,
                ["rows"] = new JsonArray(rows.Select(RowJson).ToArray()),
                ["figures"] = new JsonObject
                {
                    ["before"] = withBefore ? FiguresJson(rows, r => r.Before) : null,
                    ["after"] = FiguresJson(rows, r => r.After),
                },
                ["items"] = new JsonObject(sides.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)new JsonObject(s.Value.Select(i => KeyValuePair.Create(i.Key, i.Value?.DeepClone())))))),
            };
            await File.WriteAllTextAsync(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            await output.WriteLineAsync($"suite results written to {path}");
        }

        // Speed is judged in the table; a broken guarantee or an item that gave no result fails the suite.
        var broken = rows.Where(r => r.Kind == FigureKind.PassFail && (r.After != 1 || (withBefore && r.Before != 1))).Select(r => r.Figure).ToArray();
        if (broken.Length > 0)
        {
            await output.WriteLineAsync($"suite FAILED: {string.Join(", ", broken)} did not PASS on every side measured");
        }

        return broken.Length == 0 ? 0 : 1;
    }

    /// <summary>The rows of both sides, joined by key (the after side's rows decide the order).</summary>
    public static IReadOnlyList<SuiteRow> Build(IReadOnlyList<int> depths, IReadOnlyDictionary<string, JsonNode?> before, IReadOnlyDictionary<string, JsonNode?> after)
    {
        var beforeValues = SuiteFigures.Read(depths, before).ToDictionary(f => f.Key, f => f.Value);
        return SuiteFigures.Read(depths, after)
            .Select(f => new SuiteRow(f.Key, f.Figure, f.Kind, beforeValues.GetValueOrDefault(f.Key), f.Value, f.Target))
            .ToArray();
    }

    /// <summary>The depths of "depth-N" items, ascending.</summary>
    public static IReadOnlyList<int> DepthsOf(IEnumerable<string> itemNames) =>
        itemNames
            .Where(n => n.StartsWith("depth-", StringComparison.Ordinal))
            .Select(n => int.TryParse(n.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : -1)
            .Where(d => d > 0)
            .Distinct()
            .Order()
            .ToArray();

    private static Dictionary<string, JsonNode?> Load(string dir, string side)
    {
        var items = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir, $"{side}-*.json"))
        {
            var item = Path.GetFileNameWithoutExtension(file)[(side.Length + 1)..];
            items[item] = JsonNode.Parse(File.ReadAllText(file));
        }

        return items;
    }

    private static JsonNode RowJson(SuiteRow r) => new JsonObject
    {
        ["key"] = r.Key,
        ["figure"] = r.Figure,
        ["before"] = r.Before,
        ["after"] = r.After,
        ["ratio"] = r.Ratio,
        ["target"] = r.Kind == FigureKind.PassFail ? "PASS" : r.Target?.ToString(),
        ["met"] = r.TargetMet,
    };

    private static JsonObject FiguresJson(IEnumerable<SuiteRow> rows, Func<SuiteRow, double?> value) =>
        new(rows.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)(value(r) is { } v ? JsonValue.Create(v) : null))));
}
