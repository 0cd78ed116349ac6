namespace CompassCi.Grains.Scheduling;

/// <summary>The testbox group a testbox name implies.</summary>
public static class TboxGroup
{
    private static readonly string[] Separators = ["--", "."];

    /// <summary>
    /// The part of <paramref name="testbox"/> before its first <c>--</c> or <c>.</c>, as compass-ci does
    /// (<c>testbox.split(/\.|--/)[0]</c>): <c>vm-2p8g--h1-0</c> → <c>vm-2p8g</c>, <c>dc-8g.abc</c> → <c>dc-8g</c>.
    /// A name with neither is its own group.
    /// </summary>
    public static string FromTestbox(string testbox)
    {
        ArgumentNullException.ThrowIfNull(testbox);
        return testbox.Split(Separators, StringSplitOptions.None)[0];
    }
}
