namespace CompassCi.Tests.Fixtures;

/// <summary>
/// Test inputs in lkp-tests' formats: the fixtures written for these tests (test/Fixtures/lkp, copied beside the
/// test binaries), and the real lkp-tests tree when the <c>LKP_TESTS</c> environment variable names one.
/// Linked into both test projects.
/// </summary>
internal static class LkpFixtures
{
    /// <summary>The environment variable that names a whole lkp-tests tree (jobs/, cluster/, lib/, sbin/).</summary>
    public const string RealTreeVariable = "LKP_TESTS";

    /// <summary>Why a test that needs the real lkp-tests tree did not run, and how to run it.</summary>
    public const string SkipReason =
        "needs the real lkp-tests: set LKP_TESTS to an lkp-tests checkout (bash .ci/run sets it to ../shared/lkp-tests)";

    /// <summary>The fixture folder: <c>jobs/*.yaml</c> and <c>cluster/&lt;name&gt;</c>.</summary>
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "lkp");

    public static string JobPath(string file) => Path.Combine(Root, "jobs", file);

    public static string ClusterPath(string name) => Path.Combine(Root, "cluster", name);

    /// <summary>A fixture job file (<c>pingpong.yaml</c>) as text.</summary>
    public static string ReadJob(string file) => File.ReadAllText(JobPath(file));

    /// <summary>A fixture cluster spec (<c>cs-bay4-pair</c>) as text.</summary>
    public static string ReadCluster(string name) => File.ReadAllText(ClusterPath(name));

    /// <summary>
    /// The real lkp-tests tree named by <c>LKP_TESTS</c>, as a full path. When the variable is unset or names no
    /// folder, the calling test is skipped with <see cref="SkipReason"/>.
    /// </summary>
    public static string RealTree()
    {
        var path = Environment.GetEnvironmentVariable(RealTreeVariable);
        if (string.IsNullOrWhiteSpace(path))
        {
            Assert.Skip(SkipReason);
        }

        if (!Directory.Exists(path))
        {
            Assert.Skip($"{RealTreeVariable}={path} is not a folder; {SkipReason}");
        }

        return Path.GetFullPath(path);
    }
}
