using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Accounts;

/// <summary>
/// Who may call the scheduler (section <c>CompassCi:Auth</c>). Read through <c>IOptionsMonitor</c>: editing a
/// configuration file changes the lab and operator tokens without a restart (list the new one beside the old one while
/// testboxes move over). With no <see cref="AdminToken"/> and no account ever created the silo runs in open mode
/// (docs/design.md, Accounts and access).
/// </summary>
public sealed class AuthOptions : ICheckedOptions
{
    /// <summary>The shortest configured token or key taken: anything shorter is guessable.</summary>
    public const int MinTokenLength = 16;

    /// <inheritdoc/>
    public static string Section => "CompassCi:Auth";

    /// <summary>May do everything, including submit for any account. Configuring it ends open mode for good.</summary>
    public string? AdminToken { get; set; }

    /// <summary>Operators: release and wipe hosts, cluster specs, pipeline retries, account administration, any job.</summary>
    public List<string> OperatorTokens { get; set; } = [];

    /// <summary>Testboxes: consume, heartbeat, stage and finish updates, uploads. Several at once while rotating.</summary>
    public List<string> LabTokens { get; set; } = [];

    /// <summary>
    /// Networks (CIDR, like <c>172.17.0.0/16</c>) whose requests without any token count as the lab's own: unchanged
    /// lkp-tests testboxes and compass-ci providers send no token, so a closed scheduler lets their calls (boot, job
    /// updates, uploads, host registration) through from the lab's networks only. Empty (the default): none.
    /// </summary>
    public List<string> LabNetworks { get; set; } = [];

    /// <summary>
    /// The HMAC key account tokens and job secrets are derived with (at least 32 characters). When absent, one is
    /// generated once into <c>auth_state</c> and shared by every silo of the database.
    /// </summary>
    public string? TokenKey { get; set; }

    /// <inheritdoc/>
    public IEnumerable<string> Check()
    {
        if (AdminToken is { } admin && TokenProblem(admin) is { } adminProblem)
        {
            yield return $"{Section}:{nameof(AdminToken)} {adminProblem}";
        }

        foreach (var (list, name) in new[] { (OperatorTokens, nameof(OperatorTokens)), (LabTokens, nameof(LabTokens)) })
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (TokenProblem(list[i]) is { } problem)
                {
                    yield return $"{Section}:{name}:{i} {problem}";
                }
            }
        }

        for (var i = 0; i < LabNetworks.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(LabNetworks[i], out _))
            {
                yield return $"{Section}:{nameof(LabNetworks)}:{i} is '{LabNetworks[i]}', which is not a network; write it as CIDR, like 172.17.0.0/16 or fd00::/8";
            }
        }

        if (TokenKey is { } key && key.Length < 32)
        {
            yield return $"{Section}:{nameof(TokenKey)} has {key.Length} characters; it must have at least 32";
        }
    }

    /// <summary>Account tokens and job secrets have their own prefixes; a configured token must not look like one.</summary>
    private static string? TokenProblem(string token) =>
        token.Length < MinTokenLength ? $"has {token.Length} characters; a token must have at least {MinTokenLength}"
        : token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? "has a space or control character; a token has none"
        : token.StartsWith(Tokens.AccountPrefix, StringComparison.Ordinal) || token.StartsWith(Tokens.JobSecretPrefix, StringComparison.Ordinal)
            ? $"starts with '{Tokens.AccountPrefix}' or '{Tokens.JobSecretPrefix}', which name account tokens and job secrets"
        : null;
}
