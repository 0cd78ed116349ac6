using CompassCi.Grains.Scheduling;

namespace CompassCi.Grains.Dispatch;

/// <summary>
/// Checks an Orleans client's <see cref="ConsumeAsk"/> by the rules the REST consume applies to its path and body
/// (<see cref="ConsumeRules"/>, <see cref="TagSet"/>, <see cref="TestboxOffer"/>), and turns it into the offer the
/// consume path takes. Every problem names the REST field it would be (<c>testbox</c>, <c>tags.arch</c>, …).
/// </summary>
public static class ConsumeAskReader
{
    /// <summary>
    /// The longest wait an Orleans call may ask for: the call's answer must come back within Orleans' response timeout
    /// (30 s by default), so a longer wait is cut to this rather than failing as a timeout.
    /// </summary>
    public const int MaxWaitSeconds = 25;

    /// <summary>The offer and wait of <paramref name="ask"/>, or the errors by field.</summary>
    public static (ConsumeOffer? Offer, Dictionary<string, string[]> Errors) Read(ConsumeAsk ask)
    {
        ArgumentNullException.ThrowIfNull(ask);
        var errors = new Dictionary<string, string[]>();
        if (MachineName.Error(ask.Testbox) is { } badName)
        {
            errors["testbox"] = [badName];
            return (null, errors);
        }

        var tags = TagSet.NormalizeOffer(ask.Tags ?? new Dictionary<string, string>());
        foreach (var (field, messages) in tags.Errors)
        {
            errors[field] = messages;
        }

        if (ask.MemoryGb is { } gb && (!double.IsFinite(gb) || !ConsumeRules.MemoryAllowed(gb)))
        {
            errors["memory_gb"] = [ConsumeRules.MemoryMessage];
        }

        if (ask.WaitSeconds < 0)
        {
            errors["wait_seconds"] = [ConsumeRules.WaitMessage(MaxWaitSeconds)];
        }

        if (ask.RequestId is { } requestId && ConsumeRules.RequestIdError(requestId) is { } idError)
        {
            errors["request_id"] = [idError];
        }

        if (ask.Host is { } host && MachineName.Error(host) is { } hostError)
        {
            errors["host"] = [hostError];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var (offered, otherTestbox) = TestboxOffer.For(ask.Testbox, tags.Tags!);
        if (offered is null)
        {
            errors["tags.testbox"] = [otherTestbox!];
            return (null, errors);
        }

        var memoryMb = ask.MemoryGb is { } memory ? ConsumeRules.MemoryMb(memory) : long.MaxValue;
        var wait = TimeSpan.FromSeconds(Math.Min(ask.WaitSeconds, MaxWaitSeconds));
        return (new ConsumeOffer(ask.Testbox, offered, memoryMb, ask.RequestId, ask.Host, wait), errors);
    }
}

/// <summary>A checked consume: the testbox, its full offer, memory in MiB, request id, host and wait.</summary>
public sealed record ConsumeOffer(string Testbox, IReadOnlyDictionary<string, string> Offered, long MemoryMb, string? RequestId, string? Host, TimeSpan Wait);
