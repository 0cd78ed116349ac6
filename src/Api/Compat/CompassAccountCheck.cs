using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Api.Auth;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Storage;

namespace CompassCi.Api.Compat;

/// <summary>
/// compass-ci's account check (<c>src/lib/utils.cr</c> <c>check_account_info</c>) for <c>/submit_job</c> and
/// <c>/cancel_jobs</c>, whose clients send <c>my_account</c>, <c>my_token</c> and <c>my_email</c> in the body instead of
/// an Authorization header. Once open mode has ended, <c>my_token</c> must name a caller (resolved as every token is, by
/// <see cref="CallerResolver"/>), an account acts only as itself (<see cref="AccessRules.DecideSubmit"/>), and
/// <c>my_email</c> must be the account's. In open mode nothing is asked.
/// </summary>
public sealed class CompassAccountCheck(AccessMode access, CallerResolver callers, AccountStore accounts)
{
    /// <summary>The words compass-ci's refusal starts with; lkp's <c>sbin/submit</c> looks for them to print the account it sent.</summary>
    public const string Refusal = "Failed to verify the account.";

    /// <summary>Who acts: in open mode <see cref="Caller.Anonymous"/>; else the caller <c>my_token</c> names, or why not.</summary>
    public async Task<(Caller? Caller, string? Problem)> CheckAsync(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!await access.IsClosedAsync())
        {
            return (Caller.Anonymous, null);
        }

        if (Text(body, "my_token") is not { } token)
        {
            return (null, $"{Refusal}\nmy_token: is required (the account's token, from ~/.config/compass-ci/defaults/account.yaml)");
        }

        var (caller, problem) = await callers.ResolveAsync(token);
        if (caller is null)
        {
            return (null, $"{Refusal}\nmy_token: {problem}");
        }

        var (decision, account) = AccessRules.DecideSubmit(caller, Text(body, "my_account"));
        if (!decision.Allowed)
        {
            return (null, $"{Refusal}\n{decision.Field}: {decision.Message}");
        }

        if (account is not null)
        {
            body["my_account"] = account;
        }

        if (caller.Kind == CallerKind.Account && await accounts.GetAsync(caller.Account!) is { Email: { Length: > 0 } email }
            && Text(body, "my_email") is var sent && sent != email)
        {
            return (null, $"{Refusal}\nmy_email: '{sent}' is not the email of account '{caller.Account}'");
        }

        return (caller, null);
    }

    private static string? Text(JsonObject body, string field) =>
        body[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;
}
