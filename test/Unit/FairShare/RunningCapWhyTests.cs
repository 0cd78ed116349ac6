using CompassCi.Grains.Hosts;

namespace CompassCi.Tests.Unit.FairShare;

public sealed class RunningCapWhyTests
{
    private static readonly SeenTestbox FreeBox = new("vm-2p8g--h1-0", new Dictionary<string, string> { ["tbox_group"] = "vm-2p8g" }, 8192, SeenTestbox.Requesting, 0);
    private static readonly Dictionary<string, string> Needs = new() { ["tbox_group"] = "vm-2p8g" };

    [Fact]
    public void An_account_at_its_cap_is_named_with_its_numbers_instead_of_should_run_soon()
    {
        var reasons = WaitExplainer.Explain(Needs, 0, [FreeBox], jobsAhead: 0, cap: ("alice", 3, 3));

        var reason = Assert.Single(reasons);
        Assert.Equal(WaitReason.RunningCap, reason.Code);
        Assert.StartsWith("account alice holds 3 jobs; its running cap is 3", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_account_below_its_cap_is_not_named()
    {
        var reasons = WaitExplainer.Explain(Needs, 0, [FreeBox], jobsAhead: 0, cap: ("alice", 2, 3));

        Assert.Equal(WaitReason.ShouldRunSoon, Assert.Single(reasons).Code);
    }
}
