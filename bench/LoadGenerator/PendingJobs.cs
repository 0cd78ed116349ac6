using System.Globalization;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The restart item's hand-over between two load generator runs (the silo is killed in between): one line per
/// acknowledged job, "shape id".
/// </summary>
public static class PendingJobs
{
    public static async Task WriteAsync(string path, IEnumerable<PendingJob> jobs, CancellationToken ct) =>
        await File.WriteAllLinesAsync(path, jobs.Select(Format), ct);

    public static async Task<IReadOnlyList<PendingJob>> ReadAsync(string path, CancellationToken ct) =>
        (await File.ReadAllLinesAsync(path, ct)).Where(l => l.Length > 0).Select(Parse).ToArray();

    public static string Format(PendingJob job) => string.Create(CultureInfo.InvariantCulture, $"{job.Shape} {job.Id}");

    public static PendingJob Parse(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == line.Length - 1 || !int.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var shape))
        {
            throw new FormatException($"pending-file line is not \"shape id\": '{line}'");
        }

        return new PendingJob(shape, line[(space + 1)..]);
    }
}
