using CompassCi.Api.Http;
using CompassCi.Api.Testboxes;
using CompassCi.Grains.Compat;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Options;
using static CompassCi.Api.Compat.LkpCgiQuery;

namespace CompassCi.Api.Compat;

/// <summary>
/// compass-ci's testbox reads and lkp's <c>lkp-renew</c>: <c>/renew_deadline?job_id=&amp;time=</c> (through
/// <see cref="IJobGrain.Renew"/>; answers the new deadline as compass-ci's time text, <see cref="CompassTime"/>, in
/// <see cref="CompatOptions.TimeZone"/>), <c>/get_deadline?testbox=</c> (the deadline of the job the testbox holds, or
/// <c>no deadline</c>) and <c>/get_testbox?testbox=</c> (its registry entry as JSON). Also under <c>/scheduler/…</c>.
/// </summary>
public static class LkpDeadlineEndpoints
{
    public static IEndpointRouteBuilder MapLkpDeadlineEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "", "/scheduler" })
        {
            app.MapGet(prefix + "/renew_deadline", RenewAsync).ChangesState().ExcludeFromDescription();
            app.MapGet(prefix + "/get_deadline", GetDeadlineAsync).ExcludeFromDescription();
            app.MapGet(prefix + "/get_testbox", GetTestboxAsync).ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>What get_deadline answers when the testbox holds no job with a deadline (compass-ci's words).</summary>
    internal const string NoDeadline = "no deadline";

    private static async Task<IResult> RenewAsync(HttpRequest request, IGrainFactory grains, IOptions<CompatOptions> options)
    {
        var (id, bad) = JobId(request);
        if (bad is not null)
        {
            return bad;
        }

        var (seconds, badTime) = Seconds(request, "time", 1);
        if (badTime is not null)
        {
            return badTime;
        }

        if (seconds is null)
        {
            return Problems.Field("time", "is required: how many seconds to add to the deadline");
        }

        var outcome = await Grain(grains, id).Renew(seconds.Value, null);
        if (outcome is { Job.Deadline: { } deadline })
        {
            return Results.Text(CompassTime.Format(DateTimeOffset.FromUnixTimeMilliseconds(deadline), options.Value.Zone(TimeZoneInfo.Local)));
        }

        // A refusal about the seconds names compass-ci's parameter for them.
        return Answer(outcome with { ConflictField = outcome.ConflictField == "seconds" ? "time" : outcome.ConflictField }, id, "job_id");
    }

    private static async Task<IResult> GetDeadlineAsync(HttpRequest request, IGrainFactory grains, TestboxStore testboxes, IOptions<CompatOptions> options)
    {
        var testbox = Param(request, "testbox");
        if (testbox is null)
        {
            return Problems.Field("testbox", "is required: the testbox whose job's deadline to read");
        }

        if (TestboxName.Problem("testbox", testbox) is { } badName)
        {
            return badName;
        }

        foreach (var held in await testboxes.ListHeldJobsAsync(testbox))
        {
            if (await Grain(grains, held.Id).Get() is { Deadline: { } deadline, Testbox: var holder } && holder == testbox)
            {
                return Results.Text(CompassTime.Format(DateTimeOffset.FromUnixTimeMilliseconds(deadline), options.Value.Zone(TimeZoneInfo.Local)));
            }
        }

        return Results.Text(NoDeadline);
    }

    private static async Task<IResult> GetTestboxAsync(HttpRequest request, Grains.Hosts.TestboxRegistry registry)
    {
        var testbox = Param(request, "testbox");
        if (testbox is null)
        {
            return Problems.Field("testbox", "is required: the testbox to read");
        }

        if (TestboxName.Problem("testbox", testbox) is { } badName)
        {
            return badName;
        }

        return (await registry.ListAsync()).FirstOrDefault(r => r.Testbox == testbox) is { } row
            ? Results.Json(RegistryEndpoints.Render(row, registry))
            : Problems.NotFound("testbox", $"no testbox '{testbox}' has been seen");
    }
}
