using CompassCi.Tests.Fixtures;

namespace CompassCi.Tests.Unit.Telemetry;

/// <summary>The PromQL reader that lists the metrics a dashboard query selects, on the forms the dashboards and alerts use.</summary>
public sealed class PromQlTests
{
    [Theory]
    [InlineData("up", new[] { "up" })]
    [InlineData("compassci_queue_pending", new[] { "compassci_queue_pending" })]
    [InlineData("max by (queue) (compassci_queue_pending)", new[] { "compassci_queue_pending" })]
    [InlineData("max(compassci_queue_pending) by (queue)", new[] { "compassci_queue_pending" })]
    [InlineData("sum without (instance, job) (rate(compassci_jobs_finished_total{job_health!=\"success\"}[5m]))", new[] { "compassci_jobs_finished_total" })]
    [InlineData("histogram_quantile(0.99, sum by (le, outcome) (rate(compassci_consume_duration_seconds_bucket[$__rate_interval])))", new[] { "compassci_consume_duration_seconds_bucket" })]
    [InlineData("sum(rate(a_sum[5m])) / sum(rate(a_count[5m]))", new[] { "a_sum", "a_count" })]
    [InlineData("rate(x_total[5m] offset 1h30m) > 0.5e3", new[] { "x_total" })]
    [InlineData("x_total offset -5m", new[] { "x_total" })]
    [InlineData("a / on (instance) group_left (version, sum) b", new[] { "a", "b" })]
    [InlineData("a > bool ignoring (count) b", new[] { "a", "b" })]
    [InlineData("a unless b or c and d", new[] { "a", "b", "c", "d" })]
    [InlineData("label_replace(up{job=\"api(x)\"}, \"dst\", \"$1\", \"src\", \"(rate|sum)\")", new[] { "up" })]
    [InlineData("{__name__=\"compassci_outbox_backlog\", instance=~\".+\"}", new[] { "compassci_outbox_backlog" })]
    [InlineData("{__name__=~\"compassci_.*\"}", new string[0])]
    [InlineData("max_over_time(deriv(compassci_outbox_backlog[30m:1m])[1h:])", new[] { "compassci_outbox_backlog" })]
    [InlineData("topk(5, sum by (http_route) (rate(http_server_request_duration_seconds_count{instance=~\"$instance\"}[${__rate_interval}])))", new[] { "http_server_request_duration_seconds_count" })]
    [InlineData("count(x) == 0 or vector(0)", new[] { "x" })]
    [InlineData("absent(compassci_testboxes{state='idle'}) * Inf + NaN", new[] { "compassci_testboxes" })]
    [InlineData("rate(ns:metric:rate5m[1m]) @ start()", new[] { "ns:metric:rate5m" })]
    [InlineData("sum(x) # rate(commented_out[5m])\n + y", new[] { "x", "y" })]
    [InlineData("a + a * 2", new[] { "a" })]
    [InlineData("SUM BY (le) (a_bucket)", new[] { "a_bucket" })]
    public void Lists_the_metrics_an_expression_selects_and_nothing_else(string expression, string[] expected)
    {
        Assert.Equal(expected, PromQl.MetricNames(expression));
    }

    [Theory]
    [InlineData("label_values(compassci_account_shares, account)", new[] { "compassci_account_shares" })]
    [InlineData("label_values(compassci_testboxes{state=\"a,b\"}, state)", new[] { "compassci_testboxes" })]
    [InlineData("label_values(instance)", new string[0])]
    [InlineData("metrics(compassci_.*)", new string[0])]
    [InlineData("query_result(topk(3, compassci_queue_pending))", new[] { "compassci_queue_pending" })]
    public void Reads_Grafana_variable_queries(string query, string[] expected)
    {
        Assert.Equal(expected, PromQl.VariableQueryMetricNames(query));
    }
}
