using CompassCi.Grains.Hosts;

namespace CompassCi.Tests.Unit.Hosts;

public class HostNameTests
{
    [Theory]
    [InlineData("vm-2p8g--h1-0", "h1")]
    [InlineData("vm-2p8g.taishan200-2280-2s48p-256g--a45-12", "taishan200-2280-2s48p-256g--a45")]
    [InlineData("dc-8g--hostx-3", "hostx")]
    [InlineData("dc-8g.hostx-3", "hostx")]
    [InlineData("vm-2p8g--h1", "h1")]
    [InlineData("vm-2p8g--h1-", "h1-")]
    [InlineData("vm-2p8g--12", "12")]
    public void AVmOrContainerRunsOnTheHostNamedAfterItsGroupWithoutTheSlot(string testbox, string host)
    {
        Assert.Equal(host, HostName.Of(testbox, null));
    }

    [Theory]
    [InlineData("taishan200-2280-2s48p-256g--a45")]
    [InlineData("localhost")]
    [InlineData("vm-2p8g")]
    [InlineData("dc-8g")]
    [InlineData("vmx--h1-0")]
    [InlineData("VM-2p8g--h1-0")]
    [InlineData("vm-2p8g---0")]
    public void APhysicalMachineOrANameWithNothingToDeriveIsItsOwnHost(string testbox)
    {
        Assert.Equal(testbox, HostName.Of(testbox, null));
    }

    [Theory]
    [InlineData("h9", "h9")]
    [InlineData("  h9\t", "h9")]
    public void AGivenHostWinsTrimmed(string given, string host)
    {
        Assert.Equal(host, HostName.Of("vm-2p8g--h1-0", given));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ABlankGivenHostCountsAsNone(string given)
    {
        Assert.Equal("h1", HostName.Of("vm-2p8g--h1-0", given));
    }
}
