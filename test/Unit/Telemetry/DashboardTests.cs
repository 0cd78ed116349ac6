using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Tests.Fixtures;

namespace CompassCi.Tests.Unit.Telemetry;

/// <summary>
/// The Grafana dashboards in helm/compassci/dashboards are importable: valid JSON of a current schema, a uid, unique
/// panel ids, and every query through the one <c>datasource</c> variable, so they work against any Prometheus.
/// (Whether the metrics they query exist is checked against a real silo by the integration DashboardMetricsTests.)
/// </summary>
public sealed class DashboardTests
{
    public static TheoryData<string> Files() => [.. GrafanaDashboards.Files().Select(f => f.File)];

    [Fact]
    public void The_lab_overview_silo_health_and_accounts_dashboards_are_there()
    {
        Assert.Equal(["accounts.json", "lab-overview.json", "silo-health.json"], GrafanaDashboards.Files().Select(f => f.File));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Is_grafana_json_of_a_current_schema_with_a_uid_and_a_refresh(string file)
    {
        var dashboard = Load(file);

        Assert.True(dashboard["schemaVersion"]?.GetValue<int>() >= 36, $"{file}: schemaVersion {dashboard["schemaVersion"]} is below 36");
        var uid = dashboard["uid"]?.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(uid), $"{file}: no uid");
        Assert.True(uid.Length <= 40, $"{file}: uid '{uid}' is longer than the 40 characters Grafana allows");
        Assert.False(string.IsNullOrWhiteSpace(dashboard["title"]?.GetValue<string>()), $"{file}: no title");
        Assert.False(string.IsNullOrWhiteSpace(dashboard["refresh"]?.GetValue<string>()), $"{file}: no refresh");
        Assert.NotEmpty(GrafanaDashboards.Panels(dashboard));
    }

    [Fact]
    public void Uids_and_titles_differ_between_dashboards()
    {
        var dashboards = GrafanaDashboards.Files().Select(f => Load(f.File)).ToList();
        Assert.Equal(dashboards.Count, dashboards.Select(d => d["uid"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(dashboards.Count, dashboards.Select(d => d["title"]!.GetValue<string>()).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Panel_ids_are_unique_including_panels_nested_in_rows(string file)
    {
        var ids = GrafanaDashboards.Panels(Load(file)).Select(p => p["id"]?.GetValue<int>()).ToList();

        Assert.DoesNotContain(null, ids);
        var repeated = ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"{file}: panel ids used more than once: {string.Join(", ", repeated)}");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Has_a_prometheus_datasource_variable(string file)
    {
        var variable = Assert.Single(GrafanaDashboards.Variables(Load(file)), v => v["name"]?.GetValue<string>() == "datasource");

        Assert.Equal("datasource", variable["type"]?.GetValue<string>());
        Assert.Equal("prometheus", variable["query"]?.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_panel_target_and_query_variable_uses_the_datasource_variable(string file)
    {
        var dashboard = Load(file);
        var wrong = new List<string>();
        foreach (var panel in GrafanaDashboards.Panels(dashboard).Where(p => p["type"]?.GetValue<string>() != "row"))
        {
            if (!IsVariable(panel["datasource"]))
            {
                wrong.Add($"panel '{panel["title"]}': {panel["datasource"]?.ToJsonString() ?? "no datasource"}");
            }
        }

        foreach (var (panel, target) in GrafanaDashboards.Targets(dashboard))
        {
            if (!IsVariable(target["datasource"]))
            {
                wrong.Add($"target {target["refId"]} of '{panel}': {target["datasource"]?.ToJsonString() ?? "no datasource"}");
            }
        }

        foreach (var variable in GrafanaDashboards.Variables(dashboard).Where(v => v["type"]?.GetValue<string>() == "query"))
        {
            if (!IsVariable(variable["datasource"]))
            {
                wrong.Add($"variable {variable["name"]}: {variable["datasource"]?.ToJsonString() ?? "no datasource"}");
            }
        }

        Assert.True(wrong.Count == 0, $"{file}: not through ${{datasource}}:\n" + string.Join('\n', wrong));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_target_has_a_query_that_selects_a_metric(string file)
    {
        var dashboard = Load(file);
        var targets = GrafanaDashboards.Targets(dashboard).ToList();

        Assert.NotEmpty(targets);
        foreach (var (panel, target) in targets)
        {
            var expr = target["expr"]?.GetValue<string>();
            Assert.False(string.IsNullOrWhiteSpace(expr), $"{file}: target {target["refId"]} of '{panel}' has no expr");
            Assert.NotEmpty(PromQl.MetricNames(expr));
        }

        // Each panel's refIds are distinct, as Grafana needs to tell its queries apart.
        foreach (var panel in GrafanaDashboards.Panels(dashboard))
        {
            var refs = (panel["targets"] as JsonArray ?? []).Select(t => t!["refId"]?.GetValue<string>()).ToList();
            Assert.Equal(refs.Count, refs.Distinct().Count());
        }
    }

    [Fact]
    public void Gauges_every_silo_reports_are_never_summed_over_silos()
    {
        // Every silo reports the same lab-wide value for these gauges: a sum would count it once per silo.
        string[] replicated = ["compassci_queue_pending", "compassci_queue_oldest_age_seconds", "compassci_account_pending",
            "compassci_account_running", "compassci_account_shares", "compassci_account_usage_seconds",
            "compassci_hosts_quarantined", "compassci_testboxes", "compassci_outbox_backlog"];
        var wrong = new List<string>();
        foreach (var (file, text) in GrafanaDashboards.Files())
        {
            foreach (var (panel, target) in GrafanaDashboards.Targets(JsonNode.Parse(text)!.AsObject()))
            {
                var expr = target["expr"]!.GetValue<string>();
                foreach (var gauge in replicated.Where(g => PromQl.MetricNames(expr).Contains(g)))
                {
                    // Each use of such a gauge must sit directly inside a max aggregation: "max(" or "max by (…) (" before it.
                    var at = expr.IndexOf(gauge, StringComparison.Ordinal);
                    while (at >= 0)
                    {
                        var before = expr[..at].TrimEnd();
                        if (!(before.EndsWith("max(", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(before, @"max by \([^)]*\) \($")))
                        {
                            wrong.Add($"{file} '{panel}': {expr}");
                        }

                        at = expr.IndexOf(gauge, at + gauge.Length, StringComparison.Ordinal);
                    }
                }
            }
        }

        Assert.True(wrong.Count == 0, "replicated gauges not aggregated with max:\n" + string.Join('\n', wrong.Distinct()));
    }

    [Fact]
    public void The_alert_rules_in_the_operations_doc_each_select_a_metric()
    {
        var rules = GrafanaDashboards.AlertRules();

        Assert.True(rules.Count >= 7, $"only {rules.Count} alert rules read from docs/operations.md");
        Assert.All(rules, rule => Assert.NotEmpty(PromQl.MetricNames(rule.Expr)));
        Assert.Equal(rules.Count, rules.Select(r => r.Alert).Distinct().Count());
    }

    private static bool IsVariable(JsonNode? datasource) => datasource switch
    {
        JsonValue value => value.GetValue<string>() is "${datasource}" or "$datasource",
        JsonObject ds => ds["uid"]?.GetValue<string>() is "${datasource}" or "$datasource",
        _ => false,
    };

    private static JsonObject Load(string file)
    {
        var text = GrafanaDashboards.Files().Single(f => f.File == file).Text;
        try
        {
            return JsonNode.Parse(text)!.AsObject();
        }
        catch (JsonException error)
        {
            throw new Xunit.Sdk.XunitException($"{file} is not JSON: {error.Message}");
        }
    }
}
