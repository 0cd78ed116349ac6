using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Submit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Hosts;

/// <summary>
/// Decides about one host from the jobs that ran on it: wipes, quarantine after consecutive testbox crashes (naming
/// the jobs since the last wipe before the first failure as suspects), and release. Non-reentrant on purpose: one
/// decision at a time per host.
/// </summary>
public sealed class HostLifecycleGrain(
    HostStore hosts,
    QuarantinedHosts quarantined,
    JobStore jobs,
    JobSubmitter submitter,
    TimeProvider clock,
    IOptions<HostPolicyOptions> options,
    ILogger<HostLifecycleGrain> logger)
    : Grain, IHostLifecycleGrain
{
    private string Host => this.GetPrimaryKeyString();

    public async Task JobEnded(long jobId)
    {
        if (await jobs.GetAsync(jobId) is not { Stage: JobStages.Finish } job || job.Host != Host)
        {
            return;
        }

        // Every step is safe to repeat: the job's end is told again when its effect was not marked done.
        await ActOnAsync(job);
    }

    private async Task ActOnAsync(JobRecord job)
    {
        var row = await hosts.GetAsync(Host);
        var document = JsonNode.Parse(job.Document) as JsonObject ?? [];
        if (job.Health == JobHealth.Success && IsTrue(document["wipes_host"]))
        {
            await hosts.WipeAsync(Host, job.FinishTime ?? Now());
            logger.LogInformation("Host {Host} wiped by job {JobId}", Host, job.Id);
        }

        if (row.Quarantined)
        {
            if (row.HealthCheckJobId == job.Id && job.Health == JobHealth.Success)
            {
                await hosts.ReleaseAsync(Host, Now(), $"health-check job {job.Id} succeeded");
                quarantined.Invalidate();
                logger.LogInformation("Host {Host} released: health-check job {JobId} succeeded", Host, job.Id);
            }

            return;
        }

        // A job told again by the sweeper after an operator released the host must not quarantine it anew.
        if (row.ReleasedAt is { } released && job.FinishTime <= released)
        {
            return;
        }

        var consecutive = Math.Max(1, options.Value.ConsecutiveCrashes);
        var since = row.WipedAt ?? 0;
        var ended = await hosts.ListEndedNewestFirstAsync(Host, since, consecutive);
        if (!QuarantineRule.ShouldQuarantine(ended, consecutive))
        {
            return;
        }

        var touched = await hosts.ListJobsSinceAsync(Host, since);
        var suspects = QuarantineRule.Suspects(touched, ended);
        var reason = $"{consecutive} consecutive jobs crashed with cause testbox ({string.Join(", ", ended.Select(j => $"{j.JobId} on {j.Testbox}"))})";
        var check = await SubmitHealthCheckAsync(job);
        var suspectsJson = new JsonArray([.. suspects.Select(s => (JsonNode)new JsonObject
        {
            ["job_id"] = s.JobId.ToString(CultureInfo.InvariantCulture),
            ["testbox"] = s.Testbox,
            ["health"] = s.Health,
            ["setup"] = s.Setup,
        })]).ToJsonString();
        await hosts.QuarantineAsync(Host, Now(), reason, suspectsJson, check);
        quarantined.Invalidate();
        logger.LogWarning("Host {Host} quarantined: {Reason}; {Count} suspect jobs", Host, reason, suspects.Count);
    }

    public async Task Wiped(string reason)
    {
        await hosts.WipeAsync(Host, Now());
        logger.LogInformation("Host {Host} wiped: {Reason}", Host, reason);
    }

    public async Task<bool> Release(string reason)
    {
        var released = await hosts.ReleaseAsync(Host, Now(), reason);
        quarantined.Invalidate();
        return released;
    }

    /// <summary>
    /// Submits the configured health-check job for the failing testbox's group, pinned to that testbox; null when none
    /// is configured or it is not a valid job (then only an operator releases the host). Its <c>submit_id</c> names the
    /// job whose end quarantined the host, so telling this host again about that job finds the same health check.
    /// </summary>
    private async Task<long?> SubmitHealthCheckAsync(JobRecord failed)
    {
        if (failed.TboxGroup is not { } group || !options.Value.HealthCheckJobs.TryGetValue(group, out var template) || failed.Testbox is not { } testbox)
        {
            return null;
        }

        JsonObject? document;
        try
        {
            document = JsonNode.Parse(template) as JsonObject;
        }
        catch (JsonException)
        {
            document = null;
        }

        if (document is null)
        {
            logger.LogError("Health-check job for tbox_group {Group} is not a JSON object; host {Host} waits for an operator", group, Host);
            return null;
        }

        document["testbox"] = testbox;
        document.Remove("tbox_group");
        document["host_health_check"] = Host;
        document[SubmitIds.Field] = $"host-health-check:{Host}:{failed.Id.ToString(CultureInfo.InvariantCulture)}";
        var outcome = await submitter.SubmitAsync(document, exemptFromQuota: true);
        if (outcome.Jobs.Count == 0)
        {
            logger.LogError("Health-check job for tbox_group {Group} was refused ({Errors}); host {Host} waits for an operator", group, string.Join("; ", outcome.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")), Host);
            return null;
        }

        return outcome.Jobs[0].Job.Id;
    }

    private static bool IsTrue(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => node.GetValue<string>() is "true" or "1" or "yes",
        JsonValueKind.Number => node.GetValue<double>() != 0,
        _ => false,
    };

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
