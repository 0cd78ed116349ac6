using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Jobs;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Scheduling;
using CompassCi.Grains.Storage;
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
    JobIdGenerator ids,
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

        await ActOnAsync(job);
        // Acted on (or nothing to do): the sweeper need not tell this host again. Every step above is safe to repeat.
        await jobs.MarkHostToldAsync(job.Id);
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
    /// is configured or it cannot be built (then only an operator releases the host).
    /// </summary>
    private async Task<long?> SubmitHealthCheckAsync(JobRecord failed)
    {
        if (failed.TboxGroup is not { } group || !options.Value.HealthCheckJobs.TryGetValue(group, out var template) || failed.Testbox is not { } testbox)
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(template) is not JsonObject document)
            {
                throw new JsonException("not a JSON object");
            }

            document["testbox"] = testbox;
            document.Remove("tbox_group");
            document["host_health_check"] = Host;
            var needs = JobRequirementsReader.Read(document).Requirements
                        ?? throw new JsonException("its requirements are not valid");
            var job = NewJob.Pending(ids.Next(), Now(), document, needs);
            return await submitter.SubmitAsync(job) ? job.Id : null;
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or NullReferenceException)
        {
            logger.LogError(error, "Health-check job for tbox_group {Group} is not a valid job; host {Host} waits for an operator", group, Host);
            return null;
        }
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
