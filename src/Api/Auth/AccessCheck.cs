using CompassCi.Api.Jobs;
using CompassCi.Api.ResultServer;
using CompassCi.Grains.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace CompassCi.Api.Auth;

/// <summary>
/// The access check every request passes after routing: finds the caller from <c>Authorization: Bearer …</c>, the
/// route's rule and what the call acts on, and refuses with 401 or 403 before the endpoint runs (so nothing changes).
/// In open mode it lets everything through. Submit is decided by its endpoint, which reads the job's
/// <c>my_account</c> (and <c>my_token</c>, as compass-ci clients send it).
/// </summary>
public static class AccessCheck
{
    public static IApplicationBuilder UseAccessCheck(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint() is not RouteEndpoint endpoint)
            {
                await next(context);
                return;
            }

            // Public routes touch nothing (a health probe must not wait on the database).
            var access = AccessRules.For(context.Request.Method, endpoint.RoutePattern.RawText ?? "");
            var services = context.RequestServices;
            if (access.Rule == AccessRule.Public || !await services.GetRequiredService<AccessMode>().IsClosedAsync())
            {
                await next(context);
                return;
            }

            var (caller, problem) = await ResolveAsync(context, services.GetRequiredService<CallerResolver>());
            if (caller is null)
            {
                await AuthProblems.Refuse(AccessDecision.Unauthenticated(problem!)).ExecuteAsync(context);
                return;
            }

            caller.AttachTo(context);
            if (access.Rule == AccessRule.Submit)
            {
                await next(context);
                return;
            }

            var decision = AccessRules.Decide(access.Rule, caller, await TargetAsync(context, access, services.GetRequiredService<IGrainFactory>()));
            if (!decision.Allowed)
            {
                await AuthProblems.Refuse(decision).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    /// <summary>The caller by the Authorization header; without one the lab (from its networks) or anonymous; null (and why) for a header that names no one.</summary>
    private static async Task<(Caller? Caller, string? Problem)> ResolveAsync(HttpContext context, CallerResolver resolver)
    {
        var header = context.Request.Headers.Authorization;
        if (header.Count == 0)
        {
            return (resolver.Tokenless(context.Connection.RemoteIpAddress), null);
        }

        const string Scheme = "Bearer ";
        var value = header.Count == 1 ? header[0] ?? "" : "";
        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || value.Length == Scheme.Length)
        {
            return (null, "must be one header 'Authorization: Bearer <token>'");
        }

        return await resolver.ResolveAsync(value[Scheme.Length..].Trim());
    }

    /// <summary>What the call acts on: its job (and that job's owner), the testbox or account in its path.</summary>
    private static async Task<AccessTarget> TargetAsync(HttpContext context, RouteAccess access, IGrainFactory grains)
    {
        var route = context.Request.RouteValues;
        var testbox = route["testbox"] as string;
        var account = route["account"] as string;
        var jobText = access.JobFrom switch
        {
            JobIdSource.RouteId => route["id"] as string,
            JobIdSource.RouteJobId => route["jobId"] as string,
            JobIdSource.QueryJobId => context.Request.Query["job_id"].ToString(),
            JobIdSource.CookieJobId => context.Request.Cookies[ResultEndpoints.JobCookie],
            _ => null,
        };
        if (jobText is null || !JobEndpoints.TryParseId(jobText, out var jobId))
        {
            // No job named (or not an id): the endpoint answers that, with its own 400 or 404.
            return new AccessTarget(Testbox: testbox, Account: account);
        }

        var job = await grains.GetGrain<IJobGrain>(JobEndpoints.Key(jobId)).Get();
        return new AccessTarget(jobId, job?.Account, testbox, account);
    }

}
