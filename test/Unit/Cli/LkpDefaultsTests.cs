using CompassCi.Cli.Config;

namespace CompassCi.Tests.Unit.Cli;

/// <summary>lkp-tests' defaults folders read as its load_my_config does: system, then the user's, files in name order, then the lab's include.</summary>
public sealed class LkpDefaultsTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cci-defaults-");

    private string Home => Path.Combine(_root.FullName, "home");

    private string System => Path.Combine(_root.FullName, "etc");

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void NoFoldersGiveNothing()
    {
        Assert.Empty(LkpDefaults.Load(Home, System));
    }

    [Fact]
    public void TheUsersFilesOverrideTheSystemsAndLaterFilesEarlierOnes()
    {
        Write(Path.Combine(System, "defaults", "lab.yaml"), "SCHED_HOST: sys.lab\nSCHED_PORT: 3000\n");
        Write(Path.Combine(Home, ".config", "compass-ci", "defaults", "a-account.yaml"), "my_account: first\nmy_email: a@example.org\n");
        Write(Path.Combine(Home, ".config", "compass-ci", "defaults", "b-lab.yaml"), "SCHED_PORT: 20002\nmy_account: second\n");

        var defaults = LkpDefaults.Load(Home, System);

        Assert.Equal("sys.lab", defaults["SCHED_HOST"]);
        Assert.Equal("20002", defaults["SCHED_PORT"]);
        Assert.Equal("second", defaults["my_account"]);
        Assert.Equal("a@example.org", defaults["my_email"]);
    }

    [Fact]
    public void TheLabsIncludeFileGivesTheToken()
    {
        // As lkp-tests' tests/monitor-job writes them: the lab in defaults, my_token in include/lab/<lab>.yaml.
        Write(Path.Combine(Home, ".config", "compass-ci", "defaults", "z9.yaml"), "SCHED_HOST: 172.17.0.1\nSCHED_PORT: 3000\nlab: z9\n");
        Write(Path.Combine(Home, ".config", "compass-ci", "include", "lab", "z9.yaml"), "my_token: secret-token\n");

        Assert.Equal("secret-token", LkpDefaults.Load(Home, System)["my_token"]);
    }

    [Fact]
    public void ABrokenOrEmptyFileAddsNothingAndTheOthersStillCount()
    {
        Write(Path.Combine(Home, ".config", "compass-ci", "defaults", "a.yaml"), "SCHED_HOST: [unclosed\n");
        Write(Path.Combine(Home, ".config", "compass-ci", "defaults", "b.yaml"), "");
        Write(Path.Combine(Home, ".config", "compass-ci", "defaults", "c.yaml"), "my_account: ok\nnested:\n  key: ignored\n");

        var defaults = LkpDefaults.Load(Home, System);

        Assert.Equal("ok", defaults["my_account"]);
        Assert.False(defaults.ContainsKey("SCHED_HOST"));
        Assert.False(defaults.ContainsKey("nested"));
    }

    public void Dispose() => _root.Delete(recursive: true);
}
