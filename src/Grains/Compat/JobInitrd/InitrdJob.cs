using System.Globalization;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Compat.JobInitrd;

/// <summary>
/// The job as its testbox receives it in <c>job.cgz</c>: the document as submitted, with what the server decided at
/// hand-out (id, holder, result_root, addresses), without what the testbox must not see there (the account token,
/// the secrets, which go to secrets.yaml, the job2sh lines, which become job.sh, the lkp-tests package bytes, which are
/// an initrd of their own). Only fields fixed for the whole hold are set, so that every fetch gives the same bytes.
/// </summary>
public static class InitrdJob
{
    /// <summary>The fields of the submitted document that never reach job.yaml or job.sh.</summary>
    public static readonly IReadOnlyList<string> Withheld = ["my_token", "my_uuid", SecretsField, "job_secret", Job2ShField];

    /// <summary>The job's own secrets map (compass-ci's <c>secrets</c>).</summary>
    public const string SecretsField = "secrets";

    /// <summary>The shell lines the submitter generated (lkp's <c>sbin/submit</c>): <c>{run_job: [...], extract_stats: [...], ...}</c>.</summary>
    public const string Job2ShField = "job2sh";

    /// <summary>The parts of <paramref name="job"/>'s document that go into its job.cgz.</summary>
    public static InitrdParts Split(JobRecord job, InitrdServer server, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(server);
        var document = JsonNode.Parse(job.Document) as JsonObject ?? [];
        var secrets = document[SecretsField] as JsonObject;
        var job2sh = document[Job2ShField];
        foreach (var field in Withheld)
        {
            document.Remove(field);
        }

        // lkp-tests itself arrives as its own initrd; its base64 copy in pkg_data would only make job.yaml large.
        if (document["pkg_data"] is JsonObject packages)
        {
            foreach (var (_, package) in packages)
            {
                (package as JsonObject)?.Remove("content");
            }
        }

        document["id"] = job.Id.ToString(CultureInfo.InvariantCulture);
        document["job_stage"] = "boot";
        document["job_state"] = "boot";
        document["my_account"] = job.Account;
        document["suite"] = job.Suite;
        Set(document, "tbox_group", job.TboxGroup);
        Set(document, "testbox", job.Testbox);
        Set(document, "host_machine", job.Host);
        Set(document, "result_root", job.ResultRoot);
        Set(document, "boot_time", job.BootTime is { } boot ? CompassTime.Format(DateTimeOffset.FromUnixTimeMilliseconds(boot), zone) : null);
        document["LKP_SERVER"] = server.Host;
        document["LKP_CGI_PORT"] = server.Port;
        document["SCHED_HOST"] = server.Host;
        document["SCHED_PORT"] = server.Port;
        document["RESULT_WEBDAV_PORT"] = server.ResultWebdavPort;
        return new InitrdParts(document, job2sh?.DeepClone(), secrets?.DeepClone() as JsonObject ?? []);
    }

    private static void Set(JsonObject document, string field, string? value)
    {
        if (value is not null)
        {
            document[field] = value;
        }
    }
}

/// <summary>What job.cgz is made of.</summary>
/// <param name="Job">The job: job.yaml, and the variables of job.sh's <c>export_top_env</c>.</param>
/// <param name="Job2Sh">The submitter's <c>job2sh</c> (null when it sent none): the rest of job.sh.</param>
/// <param name="Secrets">The job's own secrets map (empty when it has none).</param>
public sealed record InitrdParts(JsonObject Job, JsonNode? Job2Sh, JsonObject Secrets);
