using CompassCi.Grains.Scheduling;

namespace CompassCi.Grains.Dispatch;

/// <summary>
/// What a testbox offers besides its tags: its own name, the <c>tbox_group</c> its name implies (unless it says
/// otherwise) and the <c>tbox_type</c> that group implies, by the rule that stamps it on a job of that group at submit.
/// Shared by the REST consume and <see cref="IJobsGrain.Consume"/>.
/// </summary>
public static class TestboxOffer
{
    /// <summary>
    /// The full offer of <paramref name="testbox"/> from its normalised <paramref name="tags"/>; or the message for
    /// <c>tags.testbox</c> when the tags name another testbox.
    /// </summary>
    public static (Dictionary<string, string>? Offered, string? TestboxError) For(string testbox, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(testbox);
        ArgumentNullException.ThrowIfNull(tags);
        var offered = new Dictionary<string, string>(tags, StringComparer.Ordinal);
        if (offered.TryGetValue("testbox", out var named) && named != testbox)
        {
            return (null, $"'{named}' differs from the testbox in the path, '{testbox}'");
        }

        offered["testbox"] = testbox;
        offered.TryAdd("tbox_group", TboxGroup.FromTestbox(testbox));
        offered.TryAdd(TboxType.Field, TboxType.Of(offered["tbox_group"]));
        return (offered, null);
    }
}
