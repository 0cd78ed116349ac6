using CompassCi.Grains.Hosts;

namespace CompassCi.Tests.Unit.Hosts;

public sealed class MachineNameTests
{
    [Theory]
    [InlineData("vm-2p8g--h1-0")]
    [InlineData("taishan200-2280-2s48p-256g--a45")]
    [InlineData("vm-2p8g.taishan200-2280-2s48p-256g--a45-12")]
    [InlineData("dc-8g.hostx-3")]
    [InlineData("lkp_skl_d01")]
    [InlineData("localhost")]
    [InlineData("h")]
    public void LabNamesAreMachineNames(string name) => Assert.Null(MachineName.Error(name));

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../etc/passwd")]
    [InlineData("a b")]
    [InlineData("a\nb")]
    [InlineData("a\n")]
    [InlineData("x';DROP TABLE hosts;--")]
    [InlineData("хост")]
    [InlineData("-rf")]
    [InlineData(".hidden")]
    [InlineData("a\u0000")]
    [InlineData("$(reboot)")]
    public void OtherTextIsRefusedWithAPrintableMessage(string name)
    {
        var error = MachineName.Error(name);

        Assert.NotNull(error);
        Assert.DoesNotContain(error, char.IsControl);
    }

    [Fact]
    public void TheLimitIsTheColumnWidth()
    {
        Assert.Null(MachineName.Error(new string('a', 255)));
        Assert.Contains("limit is 255", MachineName.Error(new string('a', 256)), StringComparison.Ordinal);
    }
}
