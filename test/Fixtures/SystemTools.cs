namespace CompassCi.Tests.Fixtures;

/// <summary>
/// Tools a testbox has that a bare machine may lack (<c>cpio</c>, which unpacks job.cgz). A test that uses one is skipped,
/// with how to install it, where it is missing; <c>bash .ci/run</c> installs them.
/// </summary>
internal static class SystemTools
{
    /// <summary>Skips the calling test unless <paramref name="tool"/> is on the PATH.</summary>
    public static void Require(string tool)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
        if (!found)
        {
            Assert.Skip($"needs '{tool}', as a testbox has it (apt-get install {tool}; bash .ci/run installs it)");
        }
    }
}
