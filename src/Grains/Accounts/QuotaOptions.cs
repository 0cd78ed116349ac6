using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Accounts;

/// <summary>
/// The default per-account limits (section <c>CompassCi:Quotas</c>); an account's own limits, set through the account
/// API, replace them. compass-ci planned the same soft and hard limits on queued jobs (5,000 and 10,000).
/// </summary>
public sealed class QuotaOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Quotas";

    /// <summary>Queued (pending) jobs of an account beyond which a submit is still accepted but answered with a warning. Default 5,000.</summary>
    public int QueuedSoftLimit { get; set; } = 5_000;

    /// <summary>Queued jobs of an account beyond which a submit is refused with 429. Default 10,000.</summary>
    public int QueuedHardLimit { get; set; } = 10_000;

    /// <summary>Jobs an account may have held by testboxes at once; further jobs wait in their queues. Default: no cap.</summary>
    public int? MaxRunning { get; set; }

    /// <summary>The <c>Retry-After</c> seconds of a 429 at the hard limit: when a client should try again. Default 60.</summary>
    public int RetryAfterSeconds { get; set; } = 60;

    /// <inheritdoc/>
    public IEnumerable<string> Check() =>
    [
        .. OptionRules.Between(Section, nameof(QueuedSoftLimit), QueuedSoftLimit, 1, int.MaxValue),
        .. OptionRules.Between(Section, nameof(QueuedHardLimit), QueuedHardLimit, QueuedSoftLimit, int.MaxValue),
        .. OptionRules.Between(Section, nameof(RetryAfterSeconds), RetryAfterSeconds, 1, 86_400),
        .. MaxRunning is { } cap ? OptionRules.Between(Section, nameof(MaxRunning), cap, 1, int.MaxValue) : [],
    ];
}
