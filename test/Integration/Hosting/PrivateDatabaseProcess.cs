using System.Diagnostics;

namespace CompassCi.Tests.Integration.Hosting;

/// <summary>The private mariadbd of a silo started without a connection string, seen from outside through /proc.</summary>
internal sealed class PrivateDatabaseProcess(string dataDirectory)
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    private string PidFile => Path.Combine(dataDirectory, "mariadb", "mysqld.pid");

    /// <summary>The pid in the server's pid file (where an operator would look for it).</summary>
    public int Pid => int.Parse(File.ReadAllText(PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True while <paramref name="pid"/> is a live (not zombie) process.</summary>
    public static bool IsRunning(int pid) => Stat(pid) is { } fields && fields[0] != "Z" && fields[0] != "X";

    /// <summary>The process group of <paramref name="pid"/>.</summary>
    public static int ProcessGroup(int pid) =>
        int.Parse(Stat(pid)?[2] ?? throw new InvalidOperationException($"no process {pid}"), System.Globalization.CultureInfo.InvariantCulture);

    public static void Signal(int pid, int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>
    /// SIGSTOP, then wait until every thread of <paramref name="pid"/> is stopped. kill(2) returns before that: the
    /// kernel wakes one thread, which then stops the others, so on a busy machine a connection thread can still answer
    /// a query just after the signal was sent (seen once in CI: /readyz 200 right after SIGSTOP).
    /// </summary>
    public static async Task StopAsync(int pid)
    {
        Signal(pid, SigStop);
        var stopped = await CompassCi.Tests.Integration.Infrastructure.Eventually.HoldsAsync(
            () => Task.FromResult(AllThreadsStopped(pid)), TimeSpan.FromSeconds(10));
        if (!stopped)
        {
            throw new InvalidOperationException($"process {pid} did not stop within 10 s of SIGSTOP");
        }
    }

    private static bool AllThreadsStopped(int pid)
    {
        try
        {
            return Directory.EnumerateDirectories($"/proc/{pid}/task")
                .All(task => StatAt($"{task}/stat") is { } fields && fields[0] is "T" or "t");
        }
        catch (IOException)
        {
            return false;
        }
    }

    // /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm may hold spaces, so fields are counted after the last ')'.
    private static string[]? Stat(int pid) => StatAt($"/proc/{pid}/stat");

    private static string[]? StatAt(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
