using System.Globalization;

namespace CompassCi.LoadGenerator;

/// <summary>Reads resident memory from Linux /proc; the numbers are the kernel's, not the runtime's own view.</summary>
public static class ProcessMemory
{
    /// <summary>The silo's VmRSS and VmHWM and its process tree's VmRSS; null if the process is gone or unreadable.</summary>
    public static MemoryReading? Read(int pid)
    {
        if (ReadStatus(pid) is not var (rss, hwm))
        {
            return null;
        }

        long treeRss = rss;
        var processes = 1;
        foreach (var child in Descendants(pid))
        {
            // A descendant may exit between listing and reading; it then simply no longer counts.
            if (ReadStatus(child) is var (childRss, _))
            {
                treeRss += childRss;
                processes++;
            }
        }

        return new MemoryReading(rss, hwm, treeRss, processes);
    }

    /// <summary>Parses the "VmRSS:  123 kB" and "VmHWM:" lines of /proc/PID/status, or null.</summary>
    public static (long RssBytes, long HwmBytes)? ParseStatus(string status)
    {
        long? rss = null;
        long? hwm = null;
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = ReadKilobytes(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = ReadKilobytes(line);
        }

        return rss is { } r && hwm is { } h ? (r, h) : null;
    }

    private static (long RssBytes, long HwmBytes)? ReadStatus(int pid)
    {
        try
        {
            return ParseStatus(File.ReadAllText($"/proc/{pid}/status"));
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

    /// <summary>"VmRSS:\t  123456 kB" → 123456 * 1024 (the kernel's "kB" is KiB).</summary>
    private static long? ReadKilobytes(string line)
    {
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb)
            ? kb * 1024
            : null;
    }

    /// <summary>All processes below <paramref name="root"/>, found by scanning every /proc/N/stat for its parent.</summary>
    private static List<int> Descendants(int root)
    {
        var parentOf = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ReadParent(dir) is { } parent)
            {
                parentOf[pid] = parent;
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>();
        frontier.Enqueue(root);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var (pid, parent) in parentOf)
            {
                if (parent == current && pid != root)
                {
                    found.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return found;
    }

    /// <summary>Field 4 of /proc/N/stat. The command name (field 2) may hold spaces and ')', so fields are counted from the last ')'.</summary>
    private static int? ReadParent(string procDir)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(procDir, "stat"));
            var afterName = stat[(stat.LastIndexOf(')') + 1)..];
            var fields = afterName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 2 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid) ? ppid : null;
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
}
