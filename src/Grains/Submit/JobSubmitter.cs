using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.FairShare;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Scheduling;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Testing;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Submit;

/// <summary>
/// The one way a job enters the scheduler, whoever submits it: the REST API, an Orleans client through
/// <see cref="IJobsGrain"/>, a host's health check, and later lkp's <c>/submit_job</c>. It reads and validates the job,
/// splits a multi-node job over its cluster, draws ids, stores the job (with its <c>submit_id</c>, in the same
/// transaction) before answering, enqueues it, and warns when no testbox seen lately could run it.
/// </summary>
public sealed class JobSubmitter(
    JobStore jobs,
    SubmitKeyStore submitKeys,
    ClusterPlanner clusters,
    JobQueueing queueing,
    TestboxRegistry registry,
    JobIdGenerator ids,
    AccountLimits limits,
    IOptions<QuotaOptions> quotaDefaults,
    UsageLedger ledger,
    Telemetry.SchedulerMetrics metrics,
    FailPoints failPoints,
    IOptions<Compat.CompatOptions> compat,
    TimeProvider clock)
{
    /// <summary>Ids drawn for one submit before giving up: two silos draw the same id only by a rare clash.</summary>
    private const int MaxIdAttempts = 5;

    /// <summary>Submits a job written as JSON, or as YAML when <paramref name="contentType"/> says so.</summary>
    public Task<SubmitOutcome> SubmitAsync(ReadOnlyMemory<byte> body, string? contentType)
    {
        var parsed = JobDocumentReader.ReadObject(body, contentType, "one job");
        return parsed.Document is { } document ? SubmitAsync(document) : Task.FromResult(SubmitOutcome.Invalid(parsed.Errors));
    }

    /// <summary>
    /// Submits a job document (it is checked here, and changed in place: server-owned fields go, derived ones are added).
    /// <paramref name="exemptFromQuota"/> is for the scheduler's own jobs (a quarantined host's health check), which
    /// must not wait behind an account's queued-job limit. <paramref name="submitIdIsKey"/> false is for compass-ci's
    /// <c>/submit_job</c>, where <c>submit_id</c> labels one run of lkp's <c>submit</c> (every job of its matrix, and
    /// each of <c>nr_run</c> copies, carries the same one): there it is kept as a field, and every request is a new job.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(JsonObject document, bool exemptFromQuota = false, bool submitIdIsKey = true)
    {
        ArgumentNullException.ThrowIfNull(document);
        var checkedDocument = JobDocumentReader.Validate(document);
        if (checkedDocument.Errors.Count > 0)
        {
            return SubmitOutcome.Invalid(checkedDocument.Errors);
        }

        var (key, keyError) = submitIdIsKey ? SubmitIds.Read(document) : (null, null);
        if (keyError is not null)
        {
            return SubmitOutcome.Invalid(new Dictionary<string, string[]> { [SubmitIds.Field] = [keyError] });
        }

        // A repeat is answered from what the first submit stored, before anything else is checked or drawn.
        if (key is not null && await EarlierAsync(key) is { } earlier)
        {
            return earlier;
        }

        var (documents, isCluster, planErrors) = await PlanAsync(document);
        if (planErrors.Count > 0)
        {
            return SubmitOutcome.Invalid(planErrors);
        }

        var (needs, errors) = ReadNeeds(documents, isCluster, SubmitDate(), OsHttpHost());
        if (errors.Count > 0)
        {
            return SubmitOutcome.Invalid(errors);
        }

        var quotaWarning = (string?)null;
        if (!exemptFromQuota)
        {
            // Counted before the insert, so submits racing at the limit may each pass: the hard limit can be overshot by
            // the submits in flight at that moment (on other silos: those of the last fair-share exchange), never by more.
            var quota = await QuotaOfAsync(document["my_account"]!.GetValue<string>());
            if (quota.Refusal(documents.Count) is { } refusal)
            {
                return new SubmitOutcome(SubmitStatus.QuotaExceeded, [], new Dictionary<string, string[]> { ["my_account"] = [refusal] }, []);
            }

            quotaWarning = quota.Warning(documents.Count);
        }

        for (var attempt = 0; attempt < MaxIdAttempts; attempt++)
        {
            var records = NewRecords(documents, needs, isCluster);
            var stored = isCluster
                ? await jobs.InsertClusterAsync(records, clusters.BarrierRow(records, documents), key)
                : await jobs.InsertAsync(records[0], key);
            if (stored)
            {
                ledger.Queued(records[0].Account, records.Count);
                metrics.Submitted(records.Count);
                failPoints.AfterSubmitStored(key?.SubmitId);
                foreach (var record in records)
                {
                    await queueing.EnqueueSubmittedAsync(record);
                }

                var warnings = await WarningsAsync(needs);
                return new SubmitOutcome(
                    SubmitStatus.Created,
                    [.. records.Select((r, i) => (r, documents[i]))],
                    new Dictionary<string, string[]>(),
                    quotaWarning is null ? warnings : [quotaWarning, .. warnings]);
            }

            // Not stored: the same submit_id won a race meanwhile, or an id clashed (draw again).
            if (key is not null && await EarlierAsync(key) is { } raced)
            {
                return raced;
            }
        }

        throw new TimeoutException("could not allocate a job id; try again");
    }

    /// <summary>
    /// The jobs an earlier submit with the same key created: the same answer again when the document is the same, a
    /// conflict naming <c>submit_id</c> when the id was used for a different job. Null when the key is unused.
    /// </summary>
    private async Task<SubmitOutcome?> EarlierAsync(SubmitKey key)
    {
        if (await submitKeys.FindAsync(key.Account, key.SubmitId) is not { } found)
        {
            return null;
        }

        var id = found.JobId.ToString(CultureInfo.InvariantCulture);
        if (found.Digest != key.Digest)
        {
            return new SubmitOutcome(
                SubmitStatus.SubmitIdConflict,
                [],
                new Dictionary<string, string[]> { [SubmitIds.Field] = [$"'{key.SubmitId}' was already used by account '{key.Account}' for a different job (id {id}); use a new submit_id for a new job"] },
                []);
        }

        var first = await jobs.GetAsync(found.JobId) ?? throw new InvalidOperationException($"submit key '{key.SubmitId}' names job {id}, which does not exist");
        var created = first.ClusterId == first.Id ? await jobs.ListClusterAsync(first.Id) : [first];
        return new SubmitOutcome(SubmitStatus.AlreadySubmitted, [.. created.Select(j => (j, JsonNode.Parse(j.Document) as JsonObject ?? []))], new Dictionary<string, string[]>(), []);
    }

    /// <summary>
    /// The account's queued jobs (from this silo's fair-share ledger: counted in memory, not in the table, which would
    /// cost a scan of the account's queue per submit) and its limits: its own from its accounts row (kept a few seconds
    /// on this silo), else the defaults.
    /// </summary>
    private async Task<QueuedJobQuota> QuotaOfAsync(string account)
    {
        var (soft, hard) = await limits.GetAsync(account);
        var defaults = quotaDefaults.Value;
        return new QueuedJobQuota(account, ledger.QueuedOf(account), soft ?? defaults.QueuedSoftLimit, hard ?? defaults.QueuedHardLimit);
    }

    /// <summary>The documents to store: the job itself, or one per node of the cluster it asks for.</summary>
    private async Task<(IReadOnlyList<JsonObject> Documents, bool IsCluster, IReadOnlyDictionary<string, string[]> Errors)> PlanAsync(JsonObject document)
    {
        if (!ClusterPlanner.IsClusterJob(document))
        {
            return ([document], false, new Dictionary<string, string[]>());
        }

        var split = await clusters.PlanAsync(document);
        return split.LocalJob is { } local
            ? ([local], false, split.Errors)
            : (split.NodeJobs, true, split.Errors);
    }

    /// <summary>What each job needs from a testbox; errors of a node job are named after its node (<c>node.memory</c>).</summary>
    private static (IReadOnlyList<JobRequirements> Needs, Dictionary<string, string[]> Errors) ReadNeeds(
        IReadOnlyList<JsonObject> documents, bool isCluster, DateOnly submitDate, string? osHttpHost)
    {
        var needs = new List<JobRequirements>();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            var requirements = JobRequirementsReader.Read(document);
            var problems = new Dictionary<string, string[]>(requirements.Errors, StringComparer.Ordinal);
            if (MaxAttempts.Read(document).Error is { } maxAttemptsError)
            {
                problems[MaxAttempts.Field] = [maxAttemptsError];
            }

            var prefix = isCluster ? $"{document["cluster_node"]?.GetValue<string>()}." : string.Empty;
            foreach (var (field, messages) in problems)
            {
                errors[prefix + field] = messages;
            }

            if (requirements.Requirements is { } need && problems.Count == 0)
            {
                // The tbox_group a testbox implies is written back, so the stored job says where it may run.
                if (need.TboxGroup is not null)
                {
                    document["tbox_group"] = need.TboxGroup;
                }

                // compass-ci's derived fields; tbox_type among them is a requirement, so what the job needs is read
                // again from the stamped document: the one stored, which `why` and the queues read later.
                var derivedErrors = CompassDerivedFields.Stamp(document, need, submitDate, osHttpHost);
                var stamped = derivedErrors.Count == 0 ? JobRequirementsReader.Read(document) : new JobRequirementsResult(null, derivedErrors);
                foreach (var (field, messages) in stamped.Errors)
                {
                    errors[prefix + field] = messages;
                }

                if (stamped.Requirements is { } stampedNeed)
                {
                    needs.Add(stampedNeed);
                }
            }
        }

        return (needs, errors);
    }

    /// <summary>New pending rows under fresh ids; a cluster's first node job's id is the cluster id, named in every node job.</summary>
    private List<JobRecord> NewRecords(IReadOnlyList<JsonObject> documents, IReadOnlyList<JobRequirements> needs, bool isCluster)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var first = ids.Next();
        var records = new List<JobRecord>(documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            var id = i == 0 ? first : ids.Next();
            if (isCluster)
            {
                documents[i]["cluster_id"] = first.ToString(CultureInfo.InvariantCulture);
            }

            // Each job (each node job too) gets its own result_root: it names the id, so it is set again for a new draw.
            Results.ResultFields.Stamp(documents[i], id, now, Zone());
            records.Add(NewJob.Pending(id, now, documents[i], needs[i], isCluster ? first : null));
        }

        return records;
    }

    /// <summary>The zone compass-ci's dates are written in (<c>submit_date</c>, the date in <c>result_root</c>): the configured one.</summary>
    private TimeZoneInfo Zone() => compat.Value.Zone(clock.LocalTimeZone);

    private DateOnly SubmitDate() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone()).DateTime);

    /// <summary>The host OS trees are served from (compass-ci's <c>OS_HTTP_HOST</c>), for nfs/cifs roots; null when it names the request's host.</summary>
    private string? OsHttpHost()
    {
        var options = compat.Value;
        var prefix = options.OsHttpPrefix.Replace("{sched_host}", options.SchedHost ?? "{sched_host}", StringComparison.Ordinal);
        return Uri.TryCreate(prefix, UriKind.Absolute, out var uri) && !prefix.Contains('{', StringComparison.Ordinal) ? uri.Host : null;
    }

    /// <summary>
    /// Warns when no testbox seen recently could take the job (or one of its node jobs): accepted, but the submitter
    /// learns now, not after hours of waiting. A registry that cannot be read adds no warning.
    /// </summary>
    private async Task<IReadOnlyList<string>> WarningsAsync(IReadOnlyList<JobRequirements> needs)
    {
        IReadOnlyList<SeenTestbox> seen;
        try
        {
            seen = await registry.SeenRecentlyAsync(fresh: false);
        }
        catch (MySqlConnector.MySqlException)
        {
            return [];
        }

        return [.. needs.Select(n => WaitExplainer.Warning(n.Tags, seen)).OfType<string>().Distinct()];
    }
}
