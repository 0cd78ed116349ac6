using System.Text.Json;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Whether one GET /api/v1/jobs/{id}/stats answer is what the uploaded files must give: job_data_readiness
/// complete, and stats holding exactly the <c>&lt;monitor&gt;.&lt;stat&gt;</c> keys written (the .time columns
/// skipped, nothing prefixed again, nothing lost), each a number.
/// </summary>
public static class StatsExpectation
{
    /// <summary>(readiness is complete, the stats' problem or null when they are exactly as expected).</summary>
    public static (bool Complete, string? Problem) Check(JsonElement answer, IReadOnlySet<string> expectedKeys)
    {
        var readiness = answer.TryGetProperty("job_data_readiness", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var complete = readiness == "complete";
        if (!answer.TryGetProperty("stats", out var stats) || stats.ValueKind != JsonValueKind.Object)
        {
            return (complete, $"no stats object (job_data_readiness {readiness ?? "null"})");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var extra = new List<string>();
        foreach (var stat in stats.EnumerateObject())
        {
            if (!expectedKeys.Contains(stat.Name) || !seen.Add(stat.Name))
            {
                extra.Add(stat.Name);
            }
            else if (stat.Value.ValueKind != JsonValueKind.Number)
            {
                return (complete, $"stat '{stat.Name}' is a {stat.Value.ValueKind.ToString().ToLowerInvariant()}, not a number");
            }
        }

        var missing = expectedKeys.Where(k => !seen.Contains(k)).ToList();
        if (missing.Count == 0 && extra.Count == 0)
        {
            return (complete, null);
        }

        return (complete, $"{seen.Count + extra.Count} stats, expected {expectedKeys.Count}: {missing.Count} missing"
            + (missing.Count > 0 ? $" (e.g. {missing[0]})" : "") + $", {extra.Count} unexpected or repeated" + (extra.Count > 0 ? $" (e.g. {extra[0]})" : ""));
    }
}
