using System.Globalization;

namespace CompassCi.LoadGenerator;

/// <summary>The CPU time a process has used, from Linux /proc/PID/stat: the server's cost per request, steadier than rates on a shared box.</summary>
public static class ProcessCpu
{
    /// <summary>
    /// Clock ticks per second of /proc/PID/stat's times (USER_HZ). It is 100 on every Linux architecture .NET runs on;
    /// the kernel keeps it fixed for user space whatever its internal HZ.
    /// </summary>
    private const double TicksPerSecond = 100;

    /// <summary>User + system CPU seconds of <paramref name="pid"/> so far (its own, not its children's); null if unreadable.</summary>
    public static double? Seconds(int pid)
    {
        try
        {
            return ParseStat(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>utime + stime (fields 14 and 15) in seconds. The command name (field 2) may hold spaces and ')', so fields are counted from the last ')'.</summary>
    public static double? ParseStat(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ')' the fields start at field 3 (state); utime is field 14, so index 11 here, stime index 12.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? (user + system) / TicksPerSecond
            : null;
    }
}
