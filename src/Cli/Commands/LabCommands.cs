using System.CommandLine;
using System.Text.Json.Nodes;
using CompassCi.Cli.Output;
using static CompassCi.Cli.Commands.GlobalOptions;

namespace CompassCi.Cli.Commands;

/// <summary>
/// The lab's state, read straight from the REST API (the SDK's interface does not cover it): queues, testboxes, hosts,
/// a host's lifecycle, a multi-node cluster, fair share. Each prints a table, or the JSON with <c>--json</c>.
/// </summary>
internal static class LabCommands
{
    public static Command Queues() => Listing("queues", """
        Every queue with its pending jobs and the oldest one's submit time.

        Examples:
          cci queues
          cci queues --json
        """, "api/v1/queues", null, ["key", "pending", "oldest_submit_time"]);

    public static Command Testboxes() => Listing("testboxes", """
        Every testbox that asked for work or heart-beat: its host, state, job and last sighting.

        Examples:
          cci testboxes
          cci testboxes --json | jq '.testboxes[] | select(.state == "offline")'
        """, "api/v1/testboxes", "testboxes", ["testbox", "host", "state", "job_id", "job_stage", "memory_mb", "last_seen"]);

    public static Command Hosts() => Listing("hosts", """
        Every known host, with its testbox count, quarantine and last wipe.

        Examples:
          cci hosts
        """, "api/v1/hosts", "hosts", ["host", "testboxes", "quarantined", "wiped_at"]);

    public static Command Fairshare() => Listing("fairshare", """
        Where each account stands in fair share: shares, decayed usage, held jobs, factor and order.

        Examples:
          cci fairshare
        """, "api/v1/fairshare", "accounts", ["my_account", "shares", "share_fraction", "usage_seconds", "held_jobs", "fair_share_factor", "order"]);

    public static Command Host()
    {
        var host = new Argument<string>("host") { Description = "The host's name" };
        var lifecycleJson = JsonOption();
        var lifecycle = new Command("lifecycle", """
            Every job on the host since its last wipe, oldest first.

            Examples:
              cci host taishan200-2280-2s64p-256g lifecycle
            """) { lifecycleJson };
        lifecycle.SetAction((parse, ct) => RunAsync(parse, async (api, _) =>
        {
            var answer = await api.GetAsync($"api/v1/hosts/{Seg(parse.GetValue(host)!)}/lifecycle", ct);
            return Show(answer, parse.GetValue(lifecycleJson), "jobs", ["job_id", "testbox", "start_time", "end_time", "health", "crash_cause"],
                $"since {Terminal.Cell(answer["since"])}");
        }, ct));
        var command = new Command("host", """
            One host: its last wipe, quarantine (reason, suspects), testboxes and registration; or its lifecycle.

            Examples:
              cci host vm-host-1
              cci host vm-host-1 lifecycle
            """) { host, lifecycle };
        command.SetAction((parse, ct) => RunAsync(parse, async (api, _) =>
        {
            var answer = await api.GetAsync($"api/v1/hosts/{Seg(parse.GetValue(host)!)}", ct);
            Terminal.Json(answer);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Cluster()
    {
        var id = new Argument<string>("id") { Description = "The cluster's id" };
        var json = JsonOption();
        var command = new Command("cluster", """
            A multi-node cluster: its outcome, abort reason, start deadline and each node's state.

            Examples:
              cci cluster 1234
            """) { id, json };
        command.SetAction((parse, ct) => RunAsync(parse, async (api, _) =>
        {
            var answer = await api.GetAsync($"api/v1/clusters/{Seg(parse.GetValue(id)!)}", ct);
            return Show(answer, parse.GetValue(json), "nodes", ["job_id", "node", "roles", "ip", "state"],
                $"outcome {Terminal.Cell(answer["outcome"])} {Terminal.Cell(answer["abort_reason"])}".TrimEnd());
        }, ct));
        return command;
    }

    private static Option<bool> JsonOption() => new("--json") { Description = "Print the server's JSON instead of a table" };

    /// <summary>A command that GETs one route and shows the array under <paramref name="key"/> (null: the answer is the array).</summary>
    private static Command Listing(string name, string description, string path, string? key, string[] columns)
    {
        var json = JsonOption();
        var command = new Command(name, description) { json };
        command.SetAction((parse, ct) => RunAsync(parse, async (api, _) =>
            Show(await api.GetAsync(path, ct), parse.GetValue(json), key, columns, null), ct));
        return command;
    }

    private static int Show(JsonNode answer, bool json, string? key, string[] columns, string? title)
    {
        if (json)
        {
            Terminal.Json(answer);
            return ExitCodes.Ok;
        }

        if (title is not null)
        {
            Terminal.Line(title);
        }

        var rows = (key is null ? answer as JsonArray : answer[key] as JsonArray) ?? [];
        Terminal.Table(null, columns, rows.OfType<JsonObject>().Select(row => (IReadOnlyList<string>)[.. columns.Select(c => Terminal.Cell(row[c]))]));
        return ExitCodes.Ok;
    }
}
