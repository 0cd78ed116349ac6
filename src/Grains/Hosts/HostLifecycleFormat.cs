using System.Globalization;
using System.Text;
using CompassCi.Grains.Lifecycle;

namespace CompassCi.Grains.Hosts;

/// <summary>
/// The <c>host_lifecycle</c> string recorded on a job when it ends, after osstest's <c>host_lifecycle</c>
/// runvar: every other job that touched the same host since its last wipe and before this job ended, so that
/// when a job fails strangely one can see at a glance what else had been at the machine.
/// </summary>
/// <remarks>
/// <para>
/// Entries are job ids in order of start (ties by id), separated by spaces. <c>@</c> marks a setup job, <c>+</c>
/// a job that ran alongside this one; a setup job that ran alongside is <c>@+</c> (what the job is, then when it
/// ran). A run of more than <see cref="ElideAbove"/> uneventful jobs (ended in success, not setup, not alongside)
/// becomes <c>[N]</c>; the rest are never elided, since they are the ones worth looking at.
/// </para>
/// <para>
/// Example: <c>@101 [4] 107 +109</c> — 101 set the host up, then 4 jobs in a row succeeded, then 107 (a failure,
/// so it is kept) ran and ended before this job started, and 109 ran alongside it.
/// </para>
/// </remarks>
public static class HostLifecycleFormat
{
    /// <summary>The longest run of uneventful jobs written out in full; longer runs become <c>[N]</c>.</summary>
    public const int ElideAbove = 3;

    /// <summary>The mark of a setup job.</summary>
    public const char SetupMark = '@';

    /// <summary>The mark of a job that ran alongside the one the lifecycle is for.</summary>
    public const char ConcurrentMark = '+';

    /// <summary>
    /// The lifecycle string for <paramref name="job"/>: the jobs of <see cref="Suspects"/>, marked and with long
    /// uneventful runs elided. Empty when no other job touched the host before <paramref name="job"/> ended.
    /// </summary>
    /// <param name="job">The job the string is recorded on, normally just ended.</param>
    /// <param name="touched">Every job that touched the host since its last wipe; may include <paramref name="job"/> and later jobs, which are skipped.</param>
    public static string Format(HostJob job, IReadOnlyList<HostJob> touched)
    {
        var suspects = Suspects(job, touched);
        var entries = new List<string>(suspects.Count);
        var uneventful = new List<string>();
        foreach (var other in suspects)
        {
            var concurrent = other.Overlaps(job);
            var entry = Entry(other, concurrent);
            if (IsUneventful(other, concurrent))
            {
                uneventful.Add(entry);
                continue;
            }

            FlushRun(uneventful, entries);
            entries.Add(entry);
        }

        FlushRun(uneventful, entries);
        return string.Join(' ', entries);
    }

    /// <summary>
    /// The jobs <see cref="Format"/> lists, in its order and without eliding: every job in
    /// <paramref name="touched"/> other than <paramref name="job"/> that started before it ended (all of them while
    /// it runs), by start time then id, each id once (its earliest-starting entry).
    /// </summary>
    public static IReadOnlyList<HostJob> Suspects(HostJob job, IReadOnlyList<HostJob> touched)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(touched);
        var end = job.EndTime ?? long.MaxValue;
        return touched
            .Where(other => other.JobId != job.JobId && other.StartTime < end)
            .OrderBy(other => other.StartTime)
            .ThenBy(other => other.JobId)
            .DistinctBy(other => other.JobId)
            .ToList();
    }

    /// <summary>
    /// True for a job whose id says nothing worth reading: it ended in success, was no setup and did not run
    /// alongside. A running job has no health yet, so it is never uneventful.
    /// </summary>
    private static bool IsUneventful(HostJob other, bool concurrent) =>
        !concurrent && !other.Setup && other.EndTime is not null && other.Health == JobHealth.Success;

    private static string Entry(HostJob other, bool concurrent)
    {
        var entry = new StringBuilder(24);
        if (other.Setup)
        {
            entry.Append(SetupMark);
        }

        if (concurrent)
        {
            entry.Append(ConcurrentMark);
        }

        return entry.Append(other.JobId.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>Adds a finished run of uneventful entries: in full up to <see cref="ElideAbove"/>, else as <c>[N]</c>.</summary>
    private static void FlushRun(List<string> run, List<string> entries)
    {
        if (run.Count > ElideAbove)
        {
            entries.Add(string.Create(CultureInfo.InvariantCulture, $"[{run.Count}]"));
        }
        else
        {
            entries.AddRange(run);
        }

        run.Clear();
    }
}
