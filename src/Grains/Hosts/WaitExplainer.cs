using System.Globalization;

namespace CompassCi.Grains.Hosts;

/// <summary>
/// A testbox as the wait explainer sees it: what it offers and what it was doing when last seen.
/// </summary>
/// <param name="Name">The testbox name.</param>
/// <param name="Tags">The tags it offers, including <c>testbox</c> and <c>tbox_group</c>.</param>
/// <param name="MemoryMb">Its memory in MiB; null when unknown, which counts as enough for any job.</param>
/// <param name="State">One of the state constants below.</param>
/// <param name="LastSeen">When it was last heard from.</param>
public sealed record SeenTestbox(string Name, IReadOnlyDictionary<string, string> Tags, long? MemoryMb, string State, long LastSeen)
{
    /// <summary>Free, not currently asking for work.</summary>
    public const string Idle = "idle";

    /// <summary>Free and waiting on a request for a job.</summary>
    public const string Requesting = "requesting";

    /// <summary>Booting into a job.</summary>
    public const string Booting = "booting";

    /// <summary>Running a job.</summary>
    public const string Running = "running";

    /// <summary>Not heard from lately.</summary>
    public const string Offline = "offline";

    /// <summary>Taken out of service until an operator releases its host.</summary>
    public const string Quarantined = "quarantined";

    /// <summary>True when the testbox can take a job now: it is idle or requesting.</summary>
    public bool IsFree => State is Idle or Requesting;
}

/// <summary>
/// Says in plain words, with numbers, why a pending job does not run: nothing offers its tags, nothing has its
/// memory, everything that could run it is busy, out of service or offline, or other jobs are ahead. Built only
/// from what the scheduler saw in the last 24 h, so it explains rather than predicts.
/// </summary>
public static class WaitExplainer
{
    private const long MebibytesPerGibibyte = 1024;

    /// <summary>The order states are counted in: busiest first, then out of service, then free.</summary>
    private static readonly string[] StateOrder =
        [SeenTestbox.Running, SeenTestbox.Booting, SeenTestbox.Quarantined, SeenTestbox.Offline, SeenTestbox.Requesting, SeenTestbox.Idle];

    /// <summary>
    /// Why a job requiring <paramref name="requiredTags"/> and <paramref name="memoryMb"/> does not run, in the
    /// order of <see cref="WaitReason.AllCodes"/>. A testbox matches when it offers every required tag with the
    /// same value (exact, ordinal). Memory only counts among matching testboxes; busy, quarantined and offline only
    /// among matching testboxes with enough memory. When a matching testbox is free and no job is ahead, the one
    /// reason is <see cref="WaitReason.ShouldRunSoon"/>.
    /// </summary>
    /// <param name="requiredTags">The tags the job requires.</param>
    /// <param name="memoryMb">The memory the job needs in MiB; 0 or less when it states none.</param>
    /// <param name="seenRecently">Every testbox seen in the last 24 h.</param>
    /// <param name="jobsAhead">How many jobs are ahead of it in its queue.</param>
    /// <param name="cap">The job's account, the jobs it holds and its running cap, when it has one.</param>
    public static IReadOnlyList<WaitReason> Explain(
        IReadOnlyDictionary<string, string> requiredTags, long memoryMb, IReadOnlyList<SeenTestbox> seenRecently, int jobsAhead,
        (string Account, int Held, int Cap)? cap = null)
    {
        ArgumentNullException.ThrowIfNull(requiredTags);
        ArgumentNullException.ThrowIfNull(seenRecently);
        var reasons = new List<WaitReason>();
        var matching = seenRecently.Where(testbox => Matches(testbox, requiredTags)).ToList();
        var fitting = matching.Where(testbox => HasMemory(testbox, memoryMb)).ToList();
        if (matching.Count == 0)
        {
            reasons.Add(new WaitReason(WaitReason.NoMatchingTestbox, NoMatchMessage(requiredTags, seenRecently)));
        }
        else if (fitting.Count == 0)
        {
            reasons.Add(new WaitReason(WaitReason.Memory, MemoryMessage(memoryMb, matching)));
        }

        var free = fitting.Count(testbox => testbox.IsFree);
        if (fitting.Count > 0 && free == 0)
        {
            var quarantined = fitting.Count(testbox => testbox.State == SeenTestbox.Quarantined);
            var offline = fitting.Count(testbox => testbox.State == SeenTestbox.Offline);
            if (quarantined + offline == fitting.Count)
            {
                if (quarantined > 0)
                {
                    reasons.Add(new WaitReason(WaitReason.Quarantined,
                        $"{Testboxes(quarantined)} {IsAre(quarantined)} quarantined; an operator can release the host to put {ItThem(quarantined)} back in service"));
                }

                if (offline > 0)
                {
                    reasons.Add(new WaitReason(WaitReason.Offline,
                        $"{Testboxes(offline)} {IsAre(offline)} offline, so {ItThem(offline)} cannot ask for jobs"));
                }
            }

            reasons.Add(new WaitReason(WaitReason.AllBusy, $"{Testboxes(fitting.Count)}: {StateCounts(fitting)}; none is idle or requesting"));
        }

        var capped = cap is { } c && c.Held >= c.Cap;
        if (capped)
        {
            reasons.Add(new WaitReason(WaitReason.RunningCap, string.Create(CultureInfo.InvariantCulture,
                $"account {cap!.Value.Account} holds {Count(cap.Value.Held, "job", "jobs")}; its running cap is {cap.Value.Cap}, so its jobs wait until one ends")));
        }

        if (jobsAhead > 0)
        {
            reasons.Add(new WaitReason(WaitReason.JobsAhead,
                string.Create(CultureInfo.InvariantCulture, $"{jobsAhead} {(jobsAhead == 1 ? "job" : "jobs")} ahead of it in its queue")));
        }
        else if (free > 0 && !capped)
        {
            reasons.Add(new WaitReason(WaitReason.ShouldRunSoon,
                $"{Testboxes(free)} {IsAre(free)} free (idle or requesting); the job should be taken on the next request"));
        }

        return reasons;
    }

    /// <summary>
    /// The one-sentence warning for a job no testbox seen in the last 24 h could run (the message of
    /// <see cref="WaitReason.NoMatchingTestbox"/>), for submit responses; null when some seen testbox matches.
    /// Memory and busyness are left out: they change by the minute, missing tags usually mean a typo.
    /// </summary>
    public static string? Warning(IReadOnlyDictionary<string, string> requiredTags, IReadOnlyList<SeenTestbox> seenRecently)
    {
        ArgumentNullException.ThrowIfNull(requiredTags);
        ArgumentNullException.ThrowIfNull(seenRecently);
        // Listed once: enumerating the tags (a sorted dictionary) for every testbox seen costs an enumerator each time.
        var wanted = requiredTags.ToArray();
        return seenRecently.Any(testbox => Offers(testbox, wanted)) ? null : NoMatchMessage(requiredTags, seenRecently);
    }

    /// <summary>True when <paramref name="testbox"/> offers every required tag with exactly the required value.</summary>
    public static bool Matches(SeenTestbox testbox, IReadOnlyDictionary<string, string> requiredTags)
    {
        ArgumentNullException.ThrowIfNull(testbox);
        ArgumentNullException.ThrowIfNull(requiredTags);
        return Offers(testbox, [.. requiredTags]);
    }

    /// <summary>A loop, not Mismatches(...).Count: every submit asks this of each testbox seen until one matches.</summary>
    private static bool Offers(SeenTestbox testbox, KeyValuePair<string, string>[] requiredTags)
    {
        foreach (var (name, value) in requiredTags)
        {
            if (!testbox.Tags.TryGetValue(name, out var offered) || !string.Equals(offered, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Memory in whole GiB when it is a whole number of GiB, else in MiB: <c>8 GiB</c>, <c>1536 MiB</c>.</summary>
    public static string Size(long mebibytes) => mebibytes % MebibytesPerGibibyte == 0 && mebibytes != 0
        ? string.Create(CultureInfo.InvariantCulture, $"{mebibytes / MebibytesPerGibibyte} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{mebibytes} MiB");

    private static bool HasMemory(SeenTestbox testbox, long memoryMb) =>
        memoryMb <= 0 || testbox.MemoryMb is null || testbox.MemoryMb >= memoryMb;

    /// <summary>The required tags <paramref name="testbox"/> lacks or offers with another value, by name.</summary>
    private static List<KeyValuePair<string, string>> Mismatches(SeenTestbox testbox, IReadOnlyDictionary<string, string> requiredTags) =>
        requiredTags
            .Where(tag => !testbox.Tags.TryGetValue(tag.Key, out var offered) || !string.Equals(offered, tag.Value, StringComparison.Ordinal))
            .OrderBy(tag => tag.Key, StringComparer.Ordinal)
            .ToList();

    private static string NoMatchMessage(IReadOnlyDictionary<string, string> requiredTags, IReadOnlyList<SeenTestbox> seenRecently)
    {
        var wanted = string.Join(", ", requiredTags.OrderBy(tag => tag.Key, StringComparer.Ordinal).Select(tag => $"{tag.Key}={tag.Value}"));
        if (seenRecently.Count == 0)
        {
            return requiredTags.Count == 0
                ? "no testbox has been seen in the last 24 h"
                : $"no testbox has been seen in the last 24 h, so none offers {wanted}";
        }

        var closest = seenRecently
            .Select(testbox => (testbox, missing: Mismatches(testbox, requiredTags)))
            .OrderBy(candidate => candidate.missing.Count)
            .ThenBy(candidate => candidate.testbox.Name, StringComparer.Ordinal)
            .First();
        var lacks = string.Join(", ", closest.missing.Select(tag => closest.testbox.Tags.TryGetValue(tag.Key, out var offered)
            ? $"{tag.Key}={tag.Value} (offers {tag.Key}={offered})"
            : $"{tag.Key}={tag.Value} (no {tag.Key} tag)"));
        return $"no testbox seen in the last 24 h offers {wanted}; closest of {Count(seenRecently.Count, "testbox", "testboxes")} seen: {closest.testbox.Name} lacks {lacks}";
    }

    private static string MemoryMessage(long memoryMb, List<SeenTestbox> matching)
    {
        var largest = matching
            .OrderByDescending(testbox => testbox.MemoryMb)
            .ThenBy(testbox => testbox.Name, StringComparer.Ordinal)
            .First();
        var which = matching.Count == 1
            ? $"the only matching testbox, {largest.Name}, has"
            : $"the largest of {Testboxes(matching.Count)}, {largest.Name}, has";
        return $"the job needs {Size(memoryMb)} of memory, but {which} {Size(largest.MemoryMb ?? 0)}";
    }

    /// <summary>How many testboxes are in each state, in <see cref="StateOrder"/> and then unknown states by name: <c>1 running, 1 booting</c>.</summary>
    private static string StateCounts(List<SeenTestbox> testboxes) =>
        string.Join(", ", testboxes
            .GroupBy(testbox => testbox.State, StringComparer.Ordinal)
            .OrderBy(group => Array.IndexOf(StateOrder, group.Key) is var at && at < 0 ? StateOrder.Length : at)
            .ThenBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Count()} {group.Key}")));

    private static string Testboxes(int count) => Count(count, "matching testbox", "matching testboxes");

    private static string Count(int count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}");

    private static string IsAre(int count) => count == 1 ? "is" : "are";

    private static string ItThem(int count) => count == 1 ? "it" : "them";
}
