using CompassCi.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace CompassCi.Tests.Integration.Telemetry;

/// <summary><c>CompassCi:LogFormat</c> passes the silo's configuration check when it names a format, and is refused, by name, when not.</summary>
public sealed class LogFormatSettingTests
{
    private static IReadOnlyList<string> Problems(string format) =>
        ConfigurationCheck.Problems(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CompassCi:LogFormat"] = format }).Build());

    [Theory]
    [InlineData("json")]
    [InlineData("simple")]
    [InlineData("JSON")]
    public void A_known_format_passes(string format) => Assert.Empty(Problems(format));

    [Fact]
    public void An_unknown_format_is_refused_naming_the_key_and_the_choices() =>
        Assert.Equal(["CompassCi:LogFormat is 'xml'; it must be simple or json"], Problems("xml"));
}
