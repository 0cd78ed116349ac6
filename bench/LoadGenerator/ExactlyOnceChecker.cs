namespace CompassCi.LoadGenerator;

/// <summary>Compares acknowledged submits with consumed hand-outs; see <see cref="ExactlyOnceReport"/> for the terms.</summary>
public static class ExactlyOnceChecker
{
    public static ExactlyOnceReport Check(int expected, IEnumerable<string> submittedIds, IEnumerable<string> consumedIds)
    {
        var submitted = new HashSet<string>(StringComparer.Ordinal);
        var submitDuplicates = 0;
        foreach (var id in submittedIds)
        {
            if (!submitted.Add(id))
            {
                submitDuplicates++;
            }
        }

        var consumed = new HashSet<string>(StringComparer.Ordinal);
        var consumedTotal = 0;
        var duplicates = 0;
        foreach (var id in consumedIds)
        {
            consumedTotal++;
            if (!consumed.Add(id))
            {
                duplicates++;
            }
        }

        var missing = submitted.Count(id => !consumed.Contains(id));
        var unexpected = consumed.Count(id => !submitted.Contains(id));
        return new ExactlyOnceReport(expected, submitted.Count, submitDuplicates, consumedTotal, consumed.Count, duplicates, missing, unexpected);
    }
}
