using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.LoadGenerator;

/// <summary>The extraction phase's result files and its stats check, on known inputs.</summary>
public static class ExtractionChecks
{
    public static void Run(SelfTest t)
    {
        t.Equal(10, ResultFileWriter.FilesPerJob, "10 result files per job");
        t.Equal(ResultFileWriter.FilesPerJob, ResultFileWriter.Monitors.Distinct().Count(), "one file per monitor");
        var allKeys = ResultFileWriter.AllStatKeys().ToList();
        t.Equal(ResultFileWriter.StatsPerJob, allKeys.Distinct().Count(), "every expected stat key is distinct");

        for (var file = 0; file < ResultFileWriter.FilesPerJob; file++)
        {
            var monitor = ResultFileWriter.Monitors[file];
            var bytes = ResultFileWriter.Write(1234, file);
            t.Expect(bytes.Length is >= 800 and <= 1300, $"{monitor}.json is about 1 KiB ({bytes.Length} B)");
            t.Expect(bytes.AsSpan().SequenceEqual(ResultFileWriter.Write(1234, file)), $"{monitor}.json is the same bytes every time");
            using var json = JsonDocument.Parse(bytes);
            var columns = json.RootElement.EnumerateObject().ToList();
            t.Equal($"{monitor}.time", columns[0].Name, $"{monitor}.json starts with its .time column");
            t.Expect(columns.All(c => c.Name.StartsWith(monitor + ".", StringComparison.Ordinal)), $"{monitor}.json keys are <monitor>.<stat>");
            t.Expect(
                columns.All(c => c.Value.ValueKind == JsonValueKind.Array && c.Value.GetArrayLength() == ResultFileWriter.Samples && c.Value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number)),
                $"{monitor}.json values are arrays of {ResultFileWriter.Samples} numbers");
            t.Equal(
                string.Join(',', ResultFileWriter.StatKeys(file)),
                string.Join(',', columns.Skip(1).Select(c => c.Name)),
                $"{monitor}.json stats are the expected keys");
        }

        t.Expect(!ResultFileWriter.Write(1, 0).AsSpan().SequenceEqual(ResultFileWriter.Write(2, 0)), "two jobs upload different numbers");

        // The server's default rules must not add a key (.max for latencies) or fold the time monitor in.
        t.Expect(!allKeys.Any(k => k.Contains("time.elapsed_time", StringComparison.Ordinal) || k.StartsWith("iostat.", StringComparison.Ordinal)), "no key earns a .max stat");

        var expected = allKeys.ToHashSet(StringComparer.Ordinal);
        t.Equal((true, (string?)null), Check(Answer("complete", allKeys)), "complete with exactly the keys passes");
        t.Equal(false, Check(Answer("uploading", allKeys)).Complete, "uploading is not complete");
        t.Expect(Check(Answer("complete", allKeys.Skip(1))).Problem?.Contains("1 missing", StringComparison.Ordinal) == true, "a lost key is named");
        t.Expect(Check(Answer("complete", [.. allKeys, "vmstat.vmstat.field_00"])).Problem?.Contains("1 unexpected", StringComparison.Ordinal) == true, "a key prefixed again is named");
        t.Expect(Check(Answer("incomplete", null)).Problem is not null, "no stats at all is a problem");
        var text = Answer("complete", allKeys);
        text["stats"]![allKeys[0]] = "1";
        t.Expect(Check(text).Problem?.Contains("not a number", StringComparison.Ordinal) == true, "a stat that is a string is named");

        (bool Complete, string? Problem) Check(JsonObject answer)
        {
            using var json = JsonDocument.Parse(answer.ToJsonString());
            return StatsExpectation.Check(json.RootElement, expected);
        }
    }

    private static JsonObject Answer(string readiness, IEnumerable<string>? keys)
    {
        JsonObject? stats = null;
        if (keys is not null)
        {
            stats = [];
            foreach (var key in keys)
            {
                stats[key] = 12.5;
            }
        }

        return new JsonObject { ["id"] = "1", ["job_data_readiness"] = readiness, ["stats"] = stats };
    }
}
