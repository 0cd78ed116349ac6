using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Compat;
using CompassCi.Grains.Compat.JobInitrd;
using CompassCi.Grains.Results;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Compat;

/// <summary>
/// <c>GET /job_initrd_tmpfs/{id}/{token}/job.cgz</c>: the job's initrd (<see cref="JobCgz"/>), for the testbox holding
/// it. The token in the path (<see cref="JobInitrdToken"/>, in the boot answer's initrd URL) is the authorisation, since
/// the archive holds the job's secrets. Served as often as asked, the same bytes each time, while the job is held under
/// the lease the token was made for (compass-ci deleted the file after the first send, so a retried download failed).
/// Anything else (a wrong token, a job no testbox holds, an id no job has) is one and the same 403, which tells a
/// stranger nothing about which jobs exist.
/// </summary>
public static class JobInitrdEndpoints
{
    public static IEndpointRouteBuilder MapJobInitrdEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(JobInitrdToken.Prefix + "{id}/{token}/" + JobInitrdToken.FileName, GetAsync)
            .WithTags("Compat")
            .WithSummary("The job's job.cgz (gzip'd newc cpio of lkp/scheduled/job.yaml, job.sh, secrets.yaml) while a testbox holds it; the path's token comes from the boot answer.")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/octet-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        app.MapGet(JobInitrdToken.Prefix + "{id}/" + JobInitrdToken.FileName, WithoutToken)
            .WithTags("Compat")
            .WithSummary("compass-ci's job.cgz URL without the token: always 403, the token segment is needed.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<IResult> GetAsync(string id, string token, HttpContext context, IGrainFactory grains, TokenKey tokenKey, IOptions<CompatOptions> compat, IOptions<ResultOptions> results, TimeProvider clock)
    {
        if (!JobEndpoints.TryParseId(id, out var jobId))
        {
            return Problems.Field("id", $"'{id}' is not a job id");
        }

        var key = await tokenKey.GetAsync();
        var job = await grains.GetGrain<IJobGrain>(JobEndpoints.Key(jobId)).Get();
        if (job is null || !JobStages.IsActive(job.Stage) || !JobInitrdToken.IsValid(key, token, jobId, job.LeaseId))
        {
            return Problems.Field("token", $"does not open job {id}'s job.cgz: it is not the token of a job a testbox holds now (a wrong token, an ended or a waiting job)", StatusCodes.Status403Forbidden);
        }

        var address = SchedulerAddress.Of(context.Request, compat.Value);
        var server = new InitrdServer(address.Host, address.Port, compat.Value.WebdavPortFor(results.Value.WebDavUrl));
        var parts = InitrdJob.Split(job, server, compat.Value.Zone(clock.LocalTimeZone));
        var bytes = JobCgz.Build(parts, Tokens.JobSecret(key, job.Id, job.LeaseId!), (job.BootTime ?? job.SubmitTime) / 1000);
        // It holds the job's secrets: no cache keeps it.
        context.Response.Headers.CacheControl = "no-store";
        return Results.Bytes(bytes, "application/octet-stream");
    }

    private static IResult WithoutToken(string id) =>
        Problems.Field("token", $"job.cgz is served only at /job_initrd_tmpfs/{id}/<token>/job.cgz, with the token segment of the boot answer's initrd URL", StatusCodes.Status403Forbidden);

}
