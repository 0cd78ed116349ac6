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

    // /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm may hold spaces, so fields are counted after the last ')'.
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
