using CompassCi.Cli.Config;

namespace CompassCi.Tests.Unit.Cli;

/// <summary>Where cci sends its calls: flags, then the environment (CCI_*, lkp-tests' LKP_SERVER, SCHED_HOST), then lkp-tests' defaults files.</summary>
public sealed class ServerSettingsResolverTests
{
    private static readonly Dictionary<string, string> NoDefaults = [];

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void WithNothingSetItIsTheLocalSchedulerInOpenMode()
    {
        var settings = ServerSettingsResolver.Resolve(null, null, Env(), NoDefaults);

        Assert.Equal(new Uri("http://127.0.0.1:3000/"), settings.Server);
        Assert.Null(settings.Token);
        Assert.Equal("default", settings.ServerSource);
    }

    [Fact]
    public void FlagsWinOverTheEnvironmentAndTheFiles()
    {
        var settings = ServerSettingsResolver.Resolve(
            "http://flag.example:8080", "flag-token",
            Env(("CCI_SERVER", "http://env.example:1"), ("CCI_TOKEN", "env-token"), ("SCHED_HOST", "sched")),
            new Dictionary<string, string> { ["SCHED_HOST"] = "file", ["my_token"] = "file-token" });

        Assert.Equal(new Uri("http://flag.example:8080/"), settings.Server);
        Assert.Equal("flag-token", settings.Token);
        Assert.Equal("--server", settings.ServerSource);
    }

    [Theory]
    [InlineData("CCI_SERVER", "http://a.example:9000", "http://a.example:9000/")]
    [InlineData("LKP_SERVER", "sched.lab", "http://sched.lab:3000/")]
    [InlineData("SCHED_HOST", "10.0.0.5", "http://10.0.0.5:3000/")]
    public void EachEnvironmentVariableNamesTheServer(string name, string value, string expected)
    {
        Assert.Equal(new Uri(expected), ServerSettingsResolver.Resolve(null, null, Env((name, value)), NoDefaults).Server);
    }

    [Fact]
    public void TheEnvironmentIsReadInOrderCciLkpServerSchedHost()
    {
        var all = Env(("CCI_SERVER", "http://cci:1"), ("LKP_SERVER", "lkp"), ("LKP_CGI_PORT", "3001"), ("SCHED_HOST", "sched"), ("SCHED_PORT", "3002"));
        var lkpAndSched = Env(("LKP_SERVER", "lkp"), ("LKP_CGI_PORT", "3001"), ("SCHED_HOST", "sched"), ("SCHED_PORT", "3002"));

        Assert.Equal(new Uri("http://cci:1/"), ServerSettingsResolver.Resolve(null, null, all, NoDefaults).Server);
        Assert.Equal(new Uri("http://lkp:3001/"), ServerSettingsResolver.Resolve(null, null, lkpAndSched, NoDefaults).Server);
        Assert.Equal(new Uri("http://sched:3002/"), ServerSettingsResolver.Resolve(null, null, Env(("SCHED_HOST", "sched"), ("SCHED_PORT", "3002")), NoDefaults).Server);
    }

    [Fact]
    public void TheDefaultsFilesGiveServerTokenAndAccountWhenTheEnvironmentDoesNot()
    {
        var defaults = new Dictionary<string, string> { ["SCHED_HOST"] = "z9.lab", ["SCHED_PORT"] = "20002", ["my_token"] = "t0k", ["my_account"] = "kernel-team" };

        var settings = ServerSettingsResolver.Resolve(null, null, Env(), defaults);

        Assert.Equal(new Uri("http://z9.lab:20002/"), settings.Server);
        Assert.Equal("t0k", settings.Token);
        Assert.Equal("kernel-team", settings.Account);
        Assert.Equal("env-token", ServerSettingsResolver.Resolve(null, null, Env(("CCI_TOKEN", "env-token")), defaults).Token);
    }

    [Theory]
    [InlineData("ftp://x.example")]
    [InlineData("http://")]
    public void AnAddressThatIsNoHttpUrlIsASettingsError(string server)
    {
        var error = Assert.Throws<SettingsException>(() => ServerSettingsResolver.Resolve(server, null, Env(), NoDefaults));
        Assert.Contains("--server", error.Message);
    }

    [Fact]
    public void APortThatIsNoNumberIsASettingsErrorNamingTheVariable()
    {
        var error = Assert.Throws<SettingsException>(() => ServerSettingsResolver.Resolve(null, null, Env(("SCHED_HOST", "h"), ("SCHED_PORT", "http")), NoDefaults));
        Assert.Contains("SCHED_HOST", error.Message);
        Assert.Contains("'http'", error.Message);
    }
}
