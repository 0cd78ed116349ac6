namespace CompassCi.Grains.Compat.Boot;

/// <summary>
/// The registered host a booting box belongs to, as compass-ci finds it (<c>testbox.split_keep_left('-')</c> in
/// get_job_from_ready_queues): a provider registers <c>dc-8g.host7</c> and boots its slots as <c>dc-8g.host7-0</c>,
/// <c>dc-8g.host7-1</c>, …; a hardware host registers and boots under its own name.
/// </summary>
public static class HostMachine
{
    /// <summary>The names to look a registration up under, most specific first: the box itself, then without its <c>-N</c> slot.</summary>
    public static IReadOnlyList<string> Candidates(string testbox)
    {
        ArgumentNullException.ThrowIfNull(testbox);
        var dash = testbox.LastIndexOf('-');
        return dash > 0 && dash < testbox.Length - 1 && testbox.AsSpan(dash + 1).IndexOfAnyExceptInRange('0', '9') < 0
            ? [testbox, testbox[..dash]]
            : [testbox];
    }
}
