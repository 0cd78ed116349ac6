using CompassCi.Api.Jobs;
using CompassCi.Grains.Accounts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Auth;

/// <summary>
/// Turns a presented token into a <see cref="Caller"/>: a configured token (admin, operator, lab; compared in constant
/// time, read afresh from configuration so an edited file rotates them), an account token (by its HMAC, through its
/// token grain), or a job secret (valid while its job is held under the lease it was derived from).
/// </summary>
public sealed class CallerResolver(IOptionsMonitor<AuthOptions> options, TokenKey tokenKey, IGrainFactory grains, ILogger<CallerResolver> logger)
{
    private AuthOptions? _lastGood;

    /// <summary>The caller, or null with why the token is refused (never the token itself).</summary>
    public async Task<(Caller? Caller, string? Problem)> ResolveAsync(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var configured = Configured();
        // Every configured token is compared, so the time taken does not say which kind nearly matched.
        var match = Caller.Anonymous;
        if (configured.AdminToken is { } admin && Tokens.SameText(token, admin))
        {
            match = Caller.Admin;
        }

        foreach (var candidate in configured.OperatorTokens)
        {
            match = Tokens.SameText(token, candidate) && match.Kind == CallerKind.Anonymous ? Caller.Operator : match;
        }

        foreach (var candidate in configured.LabTokens)
        {
            match = Tokens.SameText(token, candidate) && match.Kind == CallerKind.Anonymous ? Caller.Lab : match;
        }

        if (match.Kind != CallerKind.Anonymous)
        {
            return (match, null);
        }

        if (token.StartsWith(Tokens.AccountPrefix, StringComparison.Ordinal))
        {
            var identity = await grains.GetGrain<ITokenGrain>(Tokens.Hex(Tokens.Hash(await tokenKey.GetAsync(), token))).Get();
            return identity switch
            {
                null => (null, "the token is not known (a rotated token no longer works)"),
                { Disabled: true } => (null, $"account '{identity.Account}' is disabled"),
                _ => (Caller.OfAccount(identity.Account), null),
            };
        }

        if (Tokens.TryReadJobId(token, out var jobId))
        {
            var job = await grains.GetGrain<IJobGrain>(JobEndpoints.Key(jobId)).Get();
            return job is not null && Tokens.IsJobSecret(await tokenKey.GetAsync(), token, jobId, job.LeaseId)
                ? (Caller.OfJob(jobId, job.Testbox), null)
                : (null, $"the job secret is not valid now: job {jobId} is no longer held under the lease it was given with");
        }

        return (null, "the token is not known");
    }

    /// <summary>
    /// Who a request without a token is: the lab, when it comes from one of <see cref="AuthOptions.LabNetworks"/>
    /// (unchanged lkp-tests testboxes carry no token), else anonymous.
    /// </summary>
    public Caller Tokenless(System.Net.IPAddress? remote)
    {
        if (remote is null)
        {
            return Caller.Anonymous;
        }

        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        foreach (var network in Configured().LabNetworks)
        {
            if (System.Net.IPNetwork.TryParse(network, out var parsed) && parsed.Contains(address))
            {
                return Caller.Lab;
            }
        }

        return Caller.Anonymous;
    }

    /// <summary>The configured tokens; a bad edit of the file keeps the last good ones (and says so).</summary>
    private AuthOptions Configured()
    {
        try
        {
            return _lastGood = options.CurrentValue;
        }
        catch (OptionsValidationException error)
        {
            logger.LogError("The edited CompassCi:Auth settings are not valid; the previous tokens stay in use: {Problems}", string.Join("; ", error.Failures));
            return _lastGood ?? new AuthOptions();
        }
    }
}
