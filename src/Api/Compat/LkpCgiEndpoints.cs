using System.Text.RegularExpressions;
using CompassCi.Api.Http;
using CompassCi.Api.Testboxes;
using CompassCi.Grains.Compat.Lkp;
using CompassCi.Grains.Storage;
using static CompassCi.Api.Compat.LkpCgiQuery;

namespace CompassCi.Api.Compat;

/// <summary>
/// What an unchanged lkp-tests testbox reports on the job it runs, as compass-ci's cgi calls
/// (<c>/~lkp/cgi-bin/…</c>, also under <c>/scheduler/~lkp/cgi-bin/…</c>), each mapped onto the one native lifecycle:
/// <c>lkp-jobfile-append-var</c> (job_state → stage, noted health or progress, see <see cref="LkpJobStates"/>; other
/// variables recorded), <c>set-job-stage</c>, <c>report-job-step</c>, <c>report_ssh_port</c> (all through
/// <see cref="IJobGrain.Report"/>), <c>lkp-post-run</c> (the job's end, through <see cref="IJobGrain.Finish"/>) and
/// <c>lkp-wtmp</c> (the testbox's state, into the registry). Bodies are compass-ci's plain text (<c>Done</c>,
/// <c>"success"</c> with its quotes); a client mistake is a 4xx problem naming the field.
/// </summary>
public static partial class LkpCgiEndpoints
{
    /// <summary>The prefixes compass-ci serves these calls under.</summary>
    internal static readonly string[] Prefixes = ["/~lkp/cgi-bin", "/scheduler/~lkp/cgi-bin"];

    /// <summary>Parameters of append-var that are not variables of the job: where lkp keeps its job file, the job, its state word.</summary>
    private static readonly HashSet<string> NotVars = new(StringComparer.Ordinal) { "job_file", "job_id", "job_state" };

    private const int MaxVars = 32;
    private const int MaxValueLength = 4096;
    private const int MaxWordLength = 64;

    public static IEndpointRouteBuilder MapLkpCgiEndpoints(this IEndpointRouteBuilder app)
    {
        // Kept out of the OpenAPI document, like lkp-cluster-sync: lkp's fixed wire protocol, listed in the README.
        foreach (var prefix in Prefixes)
        {
            app.MapGet(prefix + "/lkp-jobfile-append-var", AppendVarAsync).ChangesState().ExcludeFromDescription();
            app.MapGet(prefix + "/set-job-stage", SetJobStageAsync).ChangesState().ExcludeFromDescription();
            app.MapGet(prefix + "/report-job-step", ReportJobStepAsync).ChangesState().ExcludeFromDescription();
            app.MapGet(prefix + "/report_ssh_port", ReportSshPortAsync).ChangesState().ExcludeFromDescription();
            app.MapGet(prefix + "/lkp-post-run", PostRunAsync).ChangesState().ExcludeFromDescription();
            app.MapGet(prefix + "/lkp-wtmp", WtmpAsync).ChangesState().ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>
    /// <c>lkp-jobfile-append-var?job_file=&amp;job_id=&amp;job_state=&amp;start_time=&amp;end_time=&amp;loadavg=&amp;…</c>:
    /// the state word does what <see cref="LkpJobStates"/> says; every other parameter is a variable recorded on the job
    /// (its last value kept; start_time and end_time must be unix seconds).
    /// </summary>
    private static async Task<IResult> AppendVarAsync(HttpRequest request, IGrainFactory grains)
    {
        var (id, bad) = JobId(request);
        if (bad is not null)
        {
            return bad;
        }

        Dictionary<string, string> vars = new(StringComparer.Ordinal);
        string? stage = null, health = null;
        if (Param(request, "job_state") is { } word)
        {
            var state = LkpJobStates.Classify(word);
            if (state.Kind == LkpJobStateKind.Unknown)
            {
                return Problems.Field("job_state", $"is '{word}'; it {LkpJobStates.Expected}");
            }

            (stage, health) = (state.Stage, state.Health);
            vars["job_state"] = word;
        }

        foreach (var (name, values) in request.Query)
        {
            if (NotVars.Contains(name) || name.Length == 0 || values.ToString() is not { Length: > 0 } value)
            {
                continue;
            }

            if (!VarName().IsMatch(name))
            {
                return Problems.Field(name, "is not a variable name lkp appends: lower-case letters, digits and '_', starting with a letter, at most 64 characters");
            }

            if (value.Length > MaxValueLength)
            {
                return Problems.Field(name, $"is {value.Length} characters long; at most {MaxValueLength} are kept");
            }

            if (LkpVars.TimeNames.Contains(name) && LkpVars.Value(name, value).GetValueKind() != System.Text.Json.JsonValueKind.Number)
            {
                return Problems.Field(name, $"is '{value}'; it must be unix seconds (lkp sends date +%s)");
            }

            vars[name] = value;
        }

        if (vars.Count > MaxVars)
        {
            return Problems.Field("query", $"appends {vars.Count} variables; at most {MaxVars} at once");
        }

        if (vars.Count == 0)
        {
            return Problems.Field("job_state", "or another variable to append is required (lkp sends job_state=… or name=value pairs)");
        }

        var outcome = await Grain(grains, id).Report(new LkpReport(stage, health, vars));
        return Answer(outcome, id, stage is null ? "job_id" : "job_state");
    }

    /// <summary>
    /// <c>set-job-stage?job_stage=&amp;job_id=&amp;timeout=</c>: a stage the holder may enter moves the job there, as
    /// append-var does. <c>on_fail</c> (lkp's on_fail handler is about to run) is no stage of the lifecycle: it is recorded
    /// on the job (<c>reported_stage</c>) and the job stays where it is. With <c>timeout</c> the deadline then becomes at
    /// least now + timeout, as a renew (bounded by the renew ceiling; past it, 409 naming <c>timeout</c>, the report kept).
    /// </summary>
    private static async Task<IResult> SetJobStageAsync(HttpRequest request, IGrainFactory grains, TimeProvider clock)
    {
        var (id, bad) = JobId(request);
        if (bad is not null)
        {
            return bad;
        }

        var (timeout, badTimeout) = Seconds(request, "timeout", 0);
        if (badTimeout is not null)
        {
            return badTimeout;
        }

        var word = Param(request, "job_stage");
        LkpReport report;
        if (word == OnFail)
        {
            report = new LkpReport(null, null, new() { ["reported_stage"] = OnFail });
        }
        else if (word is not null && LkpJobStates.Stages.Contains(word, StringComparer.Ordinal))
        {
            report = new LkpReport(word, null, []);
        }
        else
        {
            return Problems.Field("job_stage", $"is '{word}'; it must be one of {string.Join(", ", LkpJobStates.Stages)} or {OnFail}");
        }

        var grain = Grain(grains, id);
        var outcome = await grain.Report(report);
        if (outcome.Job is not { } job || timeout is not > 0)
        {
            return Answer(outcome, id, "job_stage");
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var missing = timeout.Value - (int)Math.Max(0, ((job.Deadline ?? now) - now) / 1000);
        return missing <= 0 ? Results.Text(Done) : Answer(await grain.Renew(missing, null), id, "timeout");
    }

    /// <summary><c>report-job-step?job_step=&amp;job_id=</c>: recorded on the job and in its events; the stage is untouched.</summary>
    private static async Task<IResult> ReportJobStepAsync(HttpRequest request, IGrainFactory grains)
    {
        var (id, bad) = JobId(request);
        if (bad is not null)
        {
            return bad;
        }

        if (Word(request, "job_step") is { } problem)
        {
            return problem;
        }

        return Answer(await Grain(grains, id).Report(new LkpReport(null, null, new() { ["job_step"] = Param(request, "job_step")! })), id, "job_id");
    }

    /// <summary><c>report_ssh_port?tbox_name=&amp;job_id=&amp;ssh_port=</c>: the port is recorded on the job (its <c>lkp_vars.ssh_port</c>).</summary>
    private static async Task<IResult> ReportSshPortAsync(HttpRequest request, IGrainFactory grains)
    {
        var (id, bad) = JobId(request);
        if (bad is not null)
        {
            return bad;
        }

        var text = Param(request, "ssh_port");
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return Problems.Field("ssh_port", $"is '{text}'; it must be a port number, 1 to 65535");
        }

        Dictionary<string, string> vars = new() { ["ssh_port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (Param(request, "tbox_name") is { } box)
        {
            if (TestboxName.Problem("tbox_name", box) is { } badBox)
            {
                return badBox;
            }

            vars["tbox_name"] = box;
        }

        return Answer(await Grain(grains, id).Report(new LkpReport(null, null, vars)), id, "job_id");
    }

    /// <summary>
    /// <c>lkp-post-run?job_file=&amp;job_id=&amp;job_state=&amp;job_health=&amp;source=&amp;mem=&amp;cpu=</c>: the job ends
    /// (stage finish) with the health <see cref="LkpJobStates.HealthAtPostRun"/> picks — <c>job_health=return</c> is the
    /// user giving the testbox back. Answers <c>"success"</c> with its quotes, which lkp's <c>return</c> compares byte
    /// for byte. <c>source</c>, <c>mem</c> and <c>cpu</c> are accepted and not kept.
    /// </summary>
    private static async Task<IResult> PostRunAsync(HttpRequest request, IGrainFactory grains)
    {
        var (id, bad) = JobId(request);
        if (bad is not null)
        {
            return bad;
        }

        var given = Param(request, "job_health");
        if (given is not null && !JobHealth.IsKnown(given))
        {
            return Problems.Field("job_health", $"is '{given}', which is not a health (health values: {string.Join(", ", JobHealth.All)}, miss_<fs>)");
        }

        if (given == JobHealth.Crash)
        {
            return Problems.Field("job_health", "is 'crash', which needs its crash classification: use POST /api/v1/jobs/{id}/finish");
        }

        var state = Param(request, "job_state");
        if (state is not null && LkpJobStates.Classify(state).Kind == LkpJobStateKind.Unknown)
        {
            return Problems.Field("job_state", $"is '{state}'; it {LkpJobStates.Expected}");
        }

        var grain = Grain(grains, id);
        if (await grain.Get() is not { } job)
        {
            return NotFound(id);
        }

        // The health is decided from the job as read; the finish is conditional on the row's version, so a report that
        // lands in between makes this a 409 rather than an end with a stale health.
        var health = LkpJobStates.HealthAtPostRun(given, state, job.NotedHealth);
        return Answer(await grain.Finish(health, null, null), id, "job_id", PostRunSuccess);
    }

    /// <summary>
    /// <c>lkp-wtmp?tbox_name=&amp;tbox_state=&amp;mac=&amp;ip=&amp;job_id=</c>: the testbox's reported state (network_up,
    /// running, rebooting, …) goes into the registry (<c>GET /api/v1/testboxes</c>: <c>wtmp_state</c>, <c>wtmp_time</c>).
    /// </summary>
    private static async Task<IResult> WtmpAsync(HttpRequest request, TestboxStore testboxes)
    {
        var box = Param(request, "tbox_name");
        if (box is null)
        {
            return Problems.Field("tbox_name", "is required: the testbox reporting its state");
        }

        if (TestboxName.Problem("tbox_name", box) is { } badBox)
        {
            return badBox;
        }

        if (Word(request, "tbox_state") is { } badState)
        {
            return badState;
        }

        long? jobId = null;
        if (Param(request, "job_id") is not null)
        {
            var (id, bad) = JobId(request);
            if (bad is not null)
            {
                return bad;
            }

            jobId = id;
        }

        foreach (var name in new[] { "mac", "ip" })
        {
            if (Param(request, name) is { Length: > MaxWordLength } long_)
            {
                return Problems.Field(name, $"is {long_.Length} characters long; at most {MaxWordLength}");
            }
        }

        await testboxes.RecordWtmpAsync(box, Param(request, "tbox_state")!, jobId, Param(request, "mac"), Param(request, "ip"));
        return Results.Text(Done);
    }

    /// <summary>A required word (a state, a step name): 1 to 64 letters, digits, '_', '-', '.', ':'; else a 400 naming it.</summary>
    private static IResult? Word(HttpRequest request, string name) =>
        Param(request, name) is { } word && StateWord().IsMatch(word)
            ? null
            : Problems.Field(name, $"is '{Param(request, name)}'; it must be a word of 1 to 64 letters, digits, '_', '-', '.' or ':'");

    /// <summary>What lkp-post-run answers: the JSON string "success", quotes included.</summary>
    internal const string PostRunSuccess = "\"success\"";

    private const string OnFail = "on_fail";

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex VarName();

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex StateWord();
}
