namespace CompassCi.Grains.Clusters;

/// <summary>
/// Role lists as lkp-tests writes them. A job's <c>node_roles</c> is space-separated (<c>server client</c>);
/// the client sends it to lkp-cluster-sync <c>+</c>-joined (<c>server+client</c>), which a query-string decoder
/// may or may not have turned back into spaces. Both separators mean the same, since a role is one word.
/// </summary>
public static class ClusterRoles
{
    private static readonly char[] Separators = [' ', '\t', '\n', '\r', '+'];

    /// <summary>The roles in <paramref name="text"/> in order, duplicates dropped; empty for null or blank text.</summary>
    public static IReadOnlyList<string> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        return [.. text.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The roles as a job field carries them: joined by single spaces.</summary>
    public static string Join(IEnumerable<string> roles) => string.Join(' ', roles);

    /// <summary>
    /// <paramref name="text"/> with <c>+</c> separators and runs of blanks turned into single spaces, for the
    /// space-separated lists lkp sends <c>+</c>-joined (<c>direct_macs</c>, <c>direct_ips</c>); null when blank.
    /// MACs and IPs never contain <c>+</c>, so this loses nothing.
    /// </summary>
    public static string? NormalizeList(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return string.Join(' ', text.Split(Separators, StringSplitOptions.RemoveEmptyEntries));
    }
}
