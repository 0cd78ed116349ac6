using System.Text.Json.Nodes;

namespace CompassCi.Tests.Fixtures;

/// <summary>
/// The Grafana dashboards kept beside the helm chart (<c>helm/compassci/dashboards/*.json</c>, where the chart can ship
/// them), read from the repository, with their panels (rows' nested panels too) and every PromQL query they run.
/// Shared by both test projects.
/// </summary>
internal static class GrafanaDashboards
{
    /// <summary>The folder of the dashboards, found by walking up from the test binaries to CompassCi.sln.</summary>
    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "helm", "compassci", "dashboards");

    /// <summary>Each dashboard file: its name and its text.</summary>
    public static IReadOnlyList<(string File, string Text)> Files() =>
        [.. Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f)))];

    /// <summary>Every panel of <paramref name="dashboard"/>, including those nested in collapsed rows.</summary>
    public static IEnumerable<JsonObject> Panels(JsonObject dashboard)
    {
        foreach (var panel in (dashboard["panels"] as JsonArray ?? []).OfType<JsonObject>())
        {
            yield return panel;
            foreach (var nested in (panel["panels"] as JsonArray ?? []).OfType<JsonObject>())
            {
                yield return nested;
            }
        }
    }

    /// <summary>Every query target of every panel of <paramref name="dashboard"/>, with the panel's title.</summary>
    public static IEnumerable<(string Panel, JsonObject Target)> Targets(JsonObject dashboard) =>
        Panels(dashboard).SelectMany(p => (p["targets"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(t => (p["title"]?.GetValue<string>() ?? "(untitled)", t)));

    /// <summary>The template variables of <paramref name="dashboard"/>.</summary>
    public static IEnumerable<JsonObject> Variables(JsonObject dashboard) =>
        (dashboard["templating"]?["list"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>The query of a <c>query</c> variable: a string, or an object holding it as <c>query</c>.</summary>
    public static string? VariableQuery(JsonObject variable) => variable["query"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonObject query => query["query"]?.GetValue<string>(),
        _ => null,
    };

    /// <summary>
    /// Every metric name the dashboards and the alert rules of docs/operations.md query, with where each is asked for
    /// (file and panel, variable or alert).
    /// </summary>
    public static IReadOnlyDictionary<string, List<string>> QueriedMetrics()
    {
        var metrics = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        void Note(string metric, string where)
        {
            if (!metrics.TryGetValue(metric, out var places))
            {
                metrics[metric] = places = [];
            }

            places.Add(where);
        }

        foreach (var (file, text) in Files())
        {
            var dashboard = JsonNode.Parse(text)!.AsObject();
            foreach (var (panel, target) in Targets(dashboard))
            {
                foreach (var metric in PromQl.MetricNames(target["expr"]?.GetValue<string>() ?? ""))
                {
                    Note(metric, $"{file}: {panel}");
                }
            }

            foreach (var variable in Variables(dashboard).Where(v => v["type"]?.GetValue<string>() == "query"))
            {
                foreach (var metric in PromQl.VariableQueryMetricNames(VariableQuery(variable) ?? ""))
                {
                    Note(metric, $"{file}: variable {variable["name"]}");
                }
            }
        }

        foreach (var (alert, expr) in AlertRules())
        {
            foreach (var metric in PromQl.MetricNames(expr))
            {
                Note(metric, $"docs/operations.md: alert {alert}");
            }
        }

        return metrics;
    }

    /// <summary>
    /// The example alert rules of docs/operations.md (operators copy them, so they must query what is exported): each
    /// <c>- alert: Name</c> line and the <c>expr:</c> line after it.
    /// </summary>
    public static IReadOnlyList<(string Alert, string Expr)> AlertRules()
    {
        var rules = new List<(string, string)>();
        string? alert = null;
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot(), "docs", "operations.md")).Select(l => l.Trim()))
        {
            if (line.StartsWith("- alert:", StringComparison.Ordinal))
            {
                alert = line["- alert:".Length..].Split('#')[0].Trim();
            }
            else if (alert is not null && line.StartsWith("expr:", StringComparison.Ordinal))
            {
                rules.Add((alert, line["expr:".Length..].Trim()));
                alert = null;
            }
        }

        return rules;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CompassCi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CompassCi.sln not found above " + AppContext.BaseDirectory);
    }
}
