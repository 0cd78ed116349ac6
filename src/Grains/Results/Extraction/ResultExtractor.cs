using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Results.Extraction;

/// <summary>
/// Turns a finished job's result folder into stats, as lkp-tests' <c>create_stats_matrix</c> does (see
/// <see cref="MonitorStats"/> for the rules): every non-empty top-level <c>&lt;monitor&gt;.json</c> or
/// <c>.json.gz</c> but <c>stats</c> and <c>matrix</c> is reduced, and <c>stats.json</c> and <c>matrix.json</c> are
/// written into the folder. Running it again reads the same files and overwrites both with the same content.
/// Unlike lkp, every monitor file is taken (lkp also requires the monitor to be one of its own stats programs,
/// which only a checkout knows), and a file or key lkp would choke on is skipped and listed in
/// <see cref="ExtractionResult.Problems"/> instead of failing the whole job.
/// </summary>
public sealed partial class ResultExtractor
{
    private readonly ExtractionRules _rules;
    private readonly long _maxFileBytes;

    public ResultExtractor(IOptions<ExtractionOptions> options)
    {
        var value = options.Value;
        _rules = new ExtractionRules(ExtractionLists.From(value), value.PatternMatchTimeout);
        _maxFileBytes = value.MaxFileBytes;
    }

    public async Task<ExtractionResult> ExtractAsync(string resultDirectory, JsonObject? job, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(resultDirectory))
        {
            throw new DirectoryNotFoundException($"result folder {resultDirectory} does not exist");
        }

        var partBegin = RubyToF(job?["stats_part_begin"]);
        var partEnd = RubyToF(job?["stats_part_end"]);
        var problems = new List<ExtractionProblem>();
        var stats = new Dictionary<string, Sample>(StringComparer.Ordinal);
        var statFile = new Dictionary<string, string>(StringComparer.Ordinal);
        var matrix = new JsonObject();
        var used = 0;

        foreach (var (monitor, path) in MonitorPaths(resultDirectory))
        {
            var fileName = Path.GetFileName(path);
            var (file, problem) = await MonitorFile.ReadAsync(path, monitor, _maxFileBytes, cancellationToken);
            if (file is null)
            {
                problems.Add(new(fileName, problem!));
                continue;
            }

            used++;
            foreach (var (key, stat) in MonitorStats.Reduce(file, partBegin, partEnd, _rules, message => problems.Add(new(fileName, message))))
            {
                stats[key] = stat;
                statFile[key] = fileName;
            }

            // lkp merges the raw monitor data: every column, unwindowed, a later monitor's key replacing an earlier one.
            foreach (var (key, value) in file.Columns)
            {
                matrix[key] = MatrixValue(value);
            }
        }

        var statsJson = new JsonObject();
        foreach (var (key, stat) in stats.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (!stat.IsWritable)
            {
                problems.Add(new(statFile[key], $"key '{key}' is not a finite number; left out of the stats"));
                continue;
            }

            statsJson[key] = stat.ToNode();
        }

        var errids = new List<string>();
        foreach (var key in statsJson.Select(s => s.Key))
        {
            if (_rules.IsFailure(key, message => problems.Add(new(statFile[key], message))))
            {
                errids.Add(key);
            }
        }

        await JsonFileWriter.WriteAsync(Path.Combine(resultDirectory, "stats.json"), statsJson, cancellationToken);
        await JsonFileWriter.WriteAsync(Path.Combine(resultDirectory, "matrix.json"), matrix, cancellationToken);
        return new ExtractionResult(statsJson, matrix, errids, used, problems);
    }

    /// <summary>
    /// The monitor files, by monitor name (ordinal). An empty file is skipped as lkp skips it. When both
    /// <c>x.json</c> and <c>x.json.gz</c> exist lkp's <c>load_json</c> reads the .gz for either, so the .gz is used,
    /// once.
    /// </summary>
    private static IEnumerable<(string Monitor, string Path)> MonitorPaths(string directory)
    {
        var byMonitor = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            var monitor = name.EndsWith(".json.gz", StringComparison.Ordinal) ? name[..^".json.gz".Length]
                : name.EndsWith(".json", StringComparison.Ordinal) ? name[..^".json".Length]
                : null;
            if (monitor is null or "" or "stats" or "matrix" || name.StartsWith('.') || new FileInfo(path).Length == 0)
            {
                continue;
            }

            if (!byMonitor.TryGetValue(monitor, out var chosen) || !chosen.EndsWith(".gz", StringComparison.Ordinal))
            {
                byMonitor[monitor] = path;
            }
        }

        return byMonitor.Select(m => (m.Key, m.Value));
    }

    private static JsonNode? MatrixValue(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? new JsonArray([.. value.EnumerateArray().Select(e => Sample.From(e).ToNode())])
        : JsonNode.Parse(value.GetRawText());

    /// <summary>
    /// Ruby's <c>to_f</c>, which lkp applies to the job's stats_part_begin/end: a number as it is, a string by its
    /// leading number ("30s" is 30, "abc" is 0), anything else (absent) 0.
    /// </summary>
    private static double RubyToF(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return 0;
        }

        return value.GetValueKind() switch
        {
            // The text, not GetValue<double>(): a node made from an int refuses to convert.
            JsonValueKind.Number => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
            JsonValueKind.String => LeadingNumber().Match(value.GetValue<string>()) is { Success: true } m
                && double.TryParse(m.Value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0,
            _ => 0,
        };
    }

    [GeneratedRegex(@"^\s*[+-]?(\d[\d_]*)?(\.\d+)?([eE][+-]?\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingNumber();
}
