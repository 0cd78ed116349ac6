using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Grains.Storage;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Hosts;
using CompassCi.Grains.Testboxes;

namespace CompassCi.Api.Testboxes;

/// <summary>
/// The testbox registry and hosts: who is out there, what each is doing, each host's history since its last wipe,
/// and its quarantine (<c>/api/v1/testboxes</c>, <c>/api/v1/hosts</c>).
/// </summary>
public static class RegistryEndpoints
{
    public static IEndpointRouteBuilder MapRegistryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/testboxes", ListTestboxesAsync)
            .WithTags("Testboxes")
            .WithSummary("Every testbox that consumed or heartbeat: host, state (idle, requesting, booting, running, offline, quarantined), current job, offered tags, last seen.")
            .Produces<JsonObject>();
        var hosts = app.MapGroup("/api/v1/hosts").WithTags("Hosts");
        hosts.MapGet("", ListHostsAsync).WithSummary("Every known host, with its testbox count and quarantine.").Produces<JsonObject>();
        hosts.MapGet("/{host}", GetHostAsync)
            .WithSummary("One host: last wipe, quarantine (reason, suspect jobs, health-check job), its testboxes.")
            .Produces<JsonObject>();
        hosts.MapGet("/{host}/lifecycle", LifecycleAsync)
            .WithSummary("Every job that touched the host since its last wipe, in order, with setup and overlap marks.")
            .Produces<JsonObject>();
        hosts.MapPost("/{host}/wiped", WipedAsync).WithSummary("The host was reinstalled: its history starts again.").Produces<JsonObject>();
        hosts.MapPost("/{host}/release", ReleaseAsync)
            .WithSummary("Release a quarantined host so its testboxes get jobs again; 409 when it is not quarantined.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> ListTestboxesAsync(TestboxRegistry registry) =>
        Results.Json(new JsonObject { ["testboxes"] = new JsonArray([.. (await registry.ListAsync()).Select(r => (JsonNode)Render(r, registry))]) });

    private static async Task<IResult> ListHostsAsync(HostStore store, TestboxSightings sightings, CompatHostStore registrations)
    {
        await sightings.FlushAsync();
        var registered = (await registrations.ListLiveAsync()).ToDictionary(r => r.Hostname, StringComparer.Ordinal);
        var hosts = new JsonArray();
        foreach (var h in await store.ListAsync())
        {
            hosts.Add(new JsonObject
            {
                ["host"] = h.Host,
                ["testboxes"] = h.Testboxes,
                ["quarantined"] = h.Quarantined,
                ["wiped_at"] = h.WipedAt is { } w ? JobJson.Time(w) : null,
                ["registration"] = registered.Remove(h.Host, out var own) ? RegistrationJson(own) : null,
            });
        }

        // Hosts known only by their registration (a provider whose boxes have not asked yet).
        foreach (var r in registered.Values)
        {
            hosts.Add(new JsonObject { ["host"] = r.Hostname, ["testboxes"] = 0, ["quarantined"] = false, ["wiped_at"] = null, ["registration"] = RegistrationJson(r) });
        }

        return Results.Json(new JsonObject { ["hosts"] = hosts });
    }

    /// <summary>What a host registered through compass-ci's register-host2redis, alive until <c>expires_at</c>.</summary>
    private static JsonObject RegistrationJson(Grains.Compat.Boot.HostRegistration r) => new()
    {
        ["tbox_type"] = r.TboxType,
        ["arch"] = r.Arch,
        ["max_mem_gb"] = r.MaxMemGb,
        ["owner"] = r.Owner,
        ["is_remote"] = r.IsRemote,
        ["registered_at"] = JobJson.Time(r.RegisteredAt),
        ["expires_at"] = JobJson.Time(r.ExpiresAt),
    };

    private static async Task<IResult> GetHostAsync(string host, HostStore hosts, TestboxRegistry registry, CompatHostStore registrations)
    {
        if (TestboxName.Problem("host", host) is { } badName)
        {
            return badName;
        }

        var row = await hosts.GetAsync(host);
        var boxes = await registry.ListAsync(host);
        var registration = await registrations.GetLiveAsync(host);
        if (boxes.Count == 0 && row == HostRow.Fresh(host) && registration is null)
        {
            return Unknown(host);
        }

        var touched = await hosts.ListJobsSinceAsync(host, row.WipedAt ?? 0);
        return Results.Json(new JsonObject
        {
            ["host"] = host,
            ["wiped_at"] = row.WipedAt is { } w ? JobJson.Time(w) : null,
            ["jobs_since_wipe"] = touched.Count,
            ["quarantined"] = row.Quarantined,
            ["quarantined_at"] = row.QuarantinedAt is { } q ? JobJson.Time(q) : null,
            ["quarantine_reason"] = row.QuarantineReason,
            ["suspects"] = row.SuspectsJson is { } s ? JsonNode.Parse(s) : null,
            ["health_check_job_id"] = row.HealthCheckJobId?.ToString(CultureInfo.InvariantCulture),
            ["released_at"] = row.ReleasedAt is { } r ? JobJson.Time(r) : null,
            ["release_reason"] = row.ReleaseReason,
            ["testboxes"] = new JsonArray([.. boxes.Select(b => (JsonNode)Render(b, registry))]),
            ["registration"] = registration is null ? null : RegistrationJson(registration),
        });
    }

    private static async Task<IResult> LifecycleAsync(string host, HostStore hosts, TestboxRegistry registry)
    {
        if (await UnknownHostProblemAsync(host, hosts, registry) is { } problem)
        {
            return problem;
        }

        var row = await hosts.GetAsync(host);
        var touched = await hosts.ListJobsSinceAsync(host, row.WipedAt ?? 0);
        return Results.Json(new JsonObject
        {
            ["host"] = host,
            ["since"] = row.WipedAt is { } w ? JobJson.Time(w) : null,
            ["jobs"] = new JsonArray([.. touched.Select(j => (JsonNode)HostJobJson(j))]),
        });
    }

    private static async Task<IResult> WipedAsync(string host, IGrainFactory grains, HostStore hosts, TestboxRegistry registry)
    {
        if (await UnknownHostProblemAsync(host, hosts, registry) is { } problem)
        {
            return problem;
        }

        await grains.GetGrain<IHostLifecycleGrain>(host).Wiped("an operator reported it reinstalled");
        return Results.Json(new JsonObject { ["host"] = host, ["wiped"] = true });
    }

    private static async Task<IResult> ReleaseAsync(string host, IGrainFactory grains, HostStore hosts, TestboxRegistry registry)
    {
        if (await UnknownHostProblemAsync(host, hosts, registry) is { } problem)
        {
            return problem;
        }

        return await grains.GetGrain<IHostLifecycleGrain>(host).Release("released by an operator")
            ? Results.Json(new JsonObject { ["host"] = host, ["quarantined"] = false })
            : Problems.Field("host", $"host '{host}' is not quarantined", StatusCodes.Status409Conflict);
    }

    /// <summary>
    /// 400 for a name that cannot be a machine, 404 for one nobody has heard of: an operator's action on a host must
    /// not create it (a typo would otherwise leave a phantom host in every listing).
    /// </summary>
    private static async Task<IResult?> UnknownHostProblemAsync(string host, HostStore hosts, TestboxRegistry registry)
    {
        if (TestboxName.Problem("host", host) is { } badName)
        {
            return badName;
        }

        return await hosts.GetAsync(host) == HostRow.Fresh(host) && (await registry.ListAsync(host)).Count == 0 && !await hosts.HasJobsAsync(host)
            ? Unknown(host)
            : null;
    }

    private static IResult Unknown(string host) =>
        Problems.NotFound("host", $"no testbox on host '{host}' has been seen, and it was never wiped or quarantined");

    internal static JsonObject HostJobJson(HostJob job) => new()
    {
        ["job_id"] = job.JobId.ToString(CultureInfo.InvariantCulture),
        ["testbox"] = job.Testbox,
        ["start_time"] = JobJson.Time(job.StartTime),
        ["end_time"] = job.EndTime is { } e ? JobJson.Time(e) : null,
        ["setup"] = job.Setup,
        ["health"] = job.Health,
        ["crash_cause"] = job.CrashCause,
    };

    internal static JsonObject Render(TestboxRow row, TestboxRegistry registry) => new()
    {
        ["testbox"] = row.Testbox,
        ["host"] = row.Host,
        ["state"] = registry.StateOf(row),
        ["job_id"] = row.JobId?.ToString(CultureInfo.InvariantCulture),
        ["job_stage"] = row.JobStage,
        ["tags"] = new JsonObject(TestboxRegistry.Offers(row).Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))),
        ["memory_mb"] = row.MemoryMb,
        ["last_seen"] = row.LastSeen is { } seen ? JobJson.Time(seen) : null,
        ["last_heartbeat"] = row.LastHeartbeat is { } beat ? JobJson.Time(beat) : null,
        ["heartbeat_deadline"] = row.HeartbeatDeadline is { } deadline ? JobJson.Time(deadline) : null,
        ["wtmp_state"] = row.WtmpState,
        ["wtmp_time"] = row.WtmpTime is { } wtmp ? JobJson.Time(wtmp) : null,
    };
}
