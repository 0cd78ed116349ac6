using System.CommandLine;
using System.Text.Json.Nodes;
using CompassCi.Cli.Output;
using CompassCi.Client;
using CompassCi.Contracts.Jobs;
using static CompassCi.Cli.Commands.GlobalOptions;

namespace CompassCi.Cli.Commands;

/// <summary><c>job</c>, <c>jobs</c>, <c>why</c>, <c>cancel</c>, <c>renew</c>: one job, a list of them, and the changes a user makes to theirs.</summary>
internal static class JobCommands
{
    public static Command Job()
    {
        var id = new Argument<string>("id") { Description = "The job's id" };
        var json = new Option<bool>("--json") { Description = "Print the job's document as JSON only" };
        var command = new Command("job", """
            One job: its document, its stage timeline, its events and its stats.

            Examples:
              cci job 1234
              cci job 1234 --json | jq .job_stage
            """) { id, json };
        command.SetAction((parse, ct) => RunAsync(parse, async (api, _) =>
        {
            var jobId = parse.GetValue(id)!;
            var view = await api.Sdk.GetJobAsync(jobId, ct) ?? throw new CompassCiException(404, $"no job has id {jobId}");
            var job = JsonNode.Parse(view.Document);
            if (parse.GetValue(json))
            {
                Terminal.Json(job);
                return ExitCodes.Ok;
            }

            var events = await api.GetAsync($"api/v1/jobs/{Seg(jobId)}/events", ct);
            var stats = await api.GetAsync($"api/v1/jobs/{Seg(jobId)}/stats", ct);
            Terminal.Heading($"job {jobId}");
            Terminal.Json(job);
            Terminal.Heading("stage timeline");
            var history = (events["events"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            Terminal.Table(null, ["time", "stage"], history
                .Where(e => (string?)e["event"] == "stage" || (string?)e["event"] == "submitted" || (string?)e["event"] == "leased")
                .Select(e => (IReadOnlyList<string>)[Terminal.Cell(e["time"]), (string?)e["stage"] ?? (string?)e["event"] ?? ""]));
            Terminal.Heading("events");
            Terminal.Table(null, ["time", "event", "detail"], history.Select(e => (IReadOnlyList<string>)
                [Terminal.Cell(e["time"]), Terminal.Cell(e["event"]), Detail(e)]));
            Terminal.Heading("stats");
            Terminal.Json(stats);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Jobs()
    {
        var stage = new Option<string?>("--stage") { Description = "Only jobs in this stage (submit, boot, running, …, finish)" };
        var account = new Option<string?>("--account") { Description = "Only this account's jobs (my_account)" };
        var suite = new Option<string?>("--suite") { Description = "Only this suite" };
        var group = new Option<string?>("--tbox-group") { Description = "Only this testbox group" };
        var testbox = new Option<string?>("--testbox") { Description = "Only jobs on this testbox" };
        var limit = new Option<int>("--limit") { Description = "At most this many jobs, newest first", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of the jobs instead of a table" };
        limit.Validators.Add(result =>
        {
            // A value that is no number already has its parse error; only a number out of range is added here.
            if (result.Tokens is [{ } token] && int.TryParse(token.Value, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is < 1 or > 10000)
            {
                result.AddError("--limit must be between 1 and 10000");
            }
        });
        var command = new Command("jobs", """
            Jobs, newest first, as a table or as JSON.

            Examples:
              cci jobs --account kernel-team --stage submit
              cci jobs --suite ebizzy --limit 10
              cci jobs --tbox-group vm-2p8g --json | jq '.[].id'
            """) { stage, account, suite, group, testbox, limit, json };
        command.SetAction((parse, ct) => RunAsync(parse, async (api, _) =>
        {
            var query = new JobListQuery
            {
                Stage = parse.GetValue(stage), MyAccount = parse.GetValue(account), Suite = parse.GetValue(suite),
                TboxGroup = parse.GetValue(group), Testbox = parse.GetValue(testbox),
            };
            var wanted = parse.GetValue(limit);
            var jobs = new List<JsonNode>();
            while (jobs.Count < wanted)
            {
                var page = await api.Sdk.ListJobsAsync(query with { Limit = Math.Min(wanted - jobs.Count, 1000) }, ct);
                jobs.AddRange(page.Jobs.Select(j => JsonNode.Parse(j.Document)!));
                if (page.Next is null || page.Jobs.Count == 0)
                {
                    break;
                }

                query = query with { After = page.Next };
            }

            if (parse.GetValue(json))
            {
                Terminal.Json(new JsonArray([.. jobs]));
                return ExitCodes.Ok;
            }

            Terminal.Table(null, ["id", "stage", "health", "account", "suite", "tbox_group", "testbox", "submit_time"], jobs.Select(j => (IReadOnlyList<string>)
            [
                Terminal.Cell(j["id"]), Terminal.Cell(j["job_stage"]), Terminal.Cell(j["job_health"]), Terminal.Cell(j["my_account"]),
                Terminal.Cell(j["suite"]), Terminal.Cell(j["tbox_group"]), Terminal.Cell(j["testbox"]), Terminal.Cell(j["submit_time"]),
            ]));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Why()
    {
        var id = new Argument<string>("id") { Description = "The pending job's id" };
        var command = new Command("why", """
            Why a pending job waits, in plain words (no matching testbox, memory, quarantine, all busy, jobs ahead, …).

            Examples:
              cci why 1234
            """) { id };
        command.SetAction((parse, ct) => RunAsync(parse, async (api, _) =>
        {
            var answer = await api.GetAsync($"api/v1/jobs/{Seg(parse.GetValue(id)!)}/why", ct);
            foreach (var reason in (answer["reasons"] as JsonArray ?? []).OfType<JsonObject>())
            {
                Terminal.Line($"{(string?)reason["code"]}: {(string?)reason["message"]}");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Cancel()
    {
        var ids = new Argument<string[]>("ids") { Description = "The jobs' ids", Arity = ArgumentArity.OneOrMore };
        var command = new Command("cancel", """
            Cancels jobs: a waiting job ends at once (health cancel); a running one is told to abort at its next update.

            Examples:
              cci cancel 1234
              cci cancel 1234 1235 1236
            """) { ids };
        command.SetAction((parse, ct) => RunAsync(parse, async (api, _) =>
        {
            foreach (var jobId in parse.GetValue(ids)!)
            {
                var result = await api.Sdk.CancelAsync(jobId, ct);
                switch (result.Status)
                {
                    case CancelStatus.Cancelled:
                        Terminal.Line($"{jobId}: cancelled");
                        break;
                    case CancelStatus.AbortRequested:
                        Terminal.Line($"{jobId}: its testbox is told to abort");
                        break;
                    case CancelStatus.NotFound:
                        throw new CompassCiException(404, result.Message ?? $"no job has id {jobId}");
                    default:
                        throw new CompassCiException(409, result.Message ?? $"job {jobId} cannot be cancelled now");
                }
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Renew()
    {
        var id = new Argument<string>("id") { Description = "The held job's id" };
        var seconds = new Argument<int>("seconds") { Description = "How many seconds to add to its deadline" };
        var command = new Command("renew", """
            Moves a running job's deadline later (as lkp-renew does).

            Examples:
              cci renew 1234 3600
            """) { id, seconds };
        command.SetAction((parse, ct) => RunAsync(parse, async (api, _) =>
        {
            var jobId = parse.GetValue(id)!;
            var job = await api.Sdk.RenewAsync(jobId, parse.GetValue(seconds), cancellationToken: ct);
            Terminal.Line($"{jobId}: deadline {job.Deadline:yyyy-MM-ddTHH:mm:sszzz}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static string Detail(JsonObject entry) =>
        string.Join(' ', entry.Where(p => p.Key is not "time" and not "event").Select(p => $"{p.Key}={Terminal.Cell(p.Value)}"));
}
