using CompassCi.Grains.Hosts;

namespace CompassCi.Tests.Unit.Hosts;

public class WaitExplainerTests
{
    private static readonly Dictionary<string, string> Required = new(StringComparer.Ordinal)
    {
        ["tbox_group"] = "vm-2p8g",
        ["arch"] = "aarch64",
    };

    private static SeenTestbox Box(string name, string state, long? memoryMb = null, string arch = "aarch64", params (string Key, string Value)[] extra)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["testbox"] = name,
            ["tbox_group"] = name.Split("--")[0],
            ["arch"] = arch,
        };
        foreach (var (key, value) in extra)
        {
            tags[key] = value;
        }

        return new SeenTestbox(name, tags, memoryMb, state, 1_700_000_000_000);
    }

    private static List<string> Codes(IReadOnlyList<WaitReason> reasons) => reasons.Select(r => r.Code).ToList();

    [Fact]
    public void NothingSeenAtAllIsSaid()
    {
        var reasons = WaitExplainer.Explain(Required, 0, [], 0);

        var reason = Assert.Single(reasons);
        Assert.Equal(WaitReason.NoMatchingTestbox, reason.Code);
        Assert.Equal("no testbox has been seen in the last 24 h, so none offers arch=aarch64, tbox_group=vm-2p8g", reason.Message);
        Assert.Equal(reason.Message, WaitExplainer.Warning(Required, []));
    }

    [Fact]
    public void NoMatchNamesTheClosestTestboxAndWhatItLacks()
    {
        SeenTestbox[] seen =
        [
            Box("vm-2p16g--h2-0", SeenTestbox.Idle, arch: "x86_64"),
            Box("vm-2p8g--h1-0", SeenTestbox.Idle, arch: "x86_64"),
        ];

        var reason = Assert.Single(WaitExplainer.Explain(Required, 0, seen, 0));

        Assert.Equal(WaitReason.NoMatchingTestbox, reason.Code);
        Assert.Equal(
            "no testbox seen in the last 24 h offers arch=aarch64, tbox_group=vm-2p8g; closest of 2 testboxes seen: vm-2p8g--h1-0 lacks arch=aarch64 (offers arch=x86_64)",
            reason.Message);
        Assert.Equal(reason.Message, WaitExplainer.Warning(Required, seen));
    }

    [Fact]
    public void AMissingTagIsToldApartFromADifferentValue()
    {
        var required = new Dictionary<string, string>(Required) { ["os"] = "openeuler" };
        SeenTestbox[] seen = [Box("vm-2p8g--h1-0", SeenTestbox.Idle, arch: "x86_64")];

        var reason = Assert.Single(WaitExplainer.Explain(required, 0, seen, 0));

        Assert.EndsWith("vm-2p8g--h1-0 lacks arch=aarch64 (offers arch=x86_64), os=openeuler (no os tag)", reason.Message);
    }

    [Fact]
    public void TheClosestHasFewestMismatchesThenTheFirstName()
    {
        var required = new Dictionary<string, string>(Required) { ["os"] = "openeuler" };
        SeenTestbox[] seen =
        [
            Box("vm-2p8g--h3-0", SeenTestbox.Idle, arch: "x86_64"),
            Box("vm-2p8g--h2-0", SeenTestbox.Idle, arch: "x86_64"),
            Box("vm-2p16g--h1-0", SeenTestbox.Idle, arch: "x86_64", extra: ("os", "centos")),
        ];

        var reason = Assert.Single(WaitExplainer.Explain(required, 0, seen, 0));

        Assert.Contains("closest of 3 testboxes seen: vm-2p8g--h2-0 lacks ", reason.Message);
    }

    [Fact]
    public void AWildcardOfferDoesNotMatchASpecificValue()
    {
        SeenTestbox[] seen = [Box("vm-2p8g--h1-0", SeenTestbox.Idle, arch: "*")];

        Assert.Equal([WaitReason.NoMatchingTestbox], Codes(WaitExplainer.Explain(Required, 0, seen, 0)));
        Assert.EndsWith("lacks arch=aarch64 (offers arch=*)", WaitExplainer.Warning(Required, seen));
    }

    [Fact]
    public void NoMatchAndJobsAheadAreBothGiven()
    {
        var reasons = WaitExplainer.Explain(Required, 0, [], 3);

        Assert.Equal([WaitReason.NoMatchingTestbox, WaitReason.JobsAhead], Codes(reasons));
        Assert.Equal("3 jobs ahead of it in its queue", reasons[1].Message);
    }

    [Fact]
    public void TooLittleMemoryGivesTheNeedAndTheLargestOffered()
    {
        SeenTestbox[] seen =
        [
            Box("vm-2p8g--h1-0", SeenTestbox.Idle, 4096),
            Box("vm-2p8g--h2-0", SeenTestbox.Idle, 8192),
            Box("vm-2p16g--h3-0", SeenTestbox.Idle, 65536),
        ];

        var reason = Assert.Single(WaitExplainer.Explain(Required, 16384, seen, 0));

        Assert.Equal(WaitReason.Memory, reason.Code);
        Assert.Equal("the job needs 16 GiB of memory, but the largest of 2 matching testboxes, vm-2p8g--h2-0, has 8 GiB", reason.Message);
        Assert.Null(WaitExplainer.Warning(Required, seen));
    }

    [Fact]
    public void MemoryNotInWholeGibibytesIsInMebibytes()
    {
        SeenTestbox[] seen = [Box("vm-2p8g--h1-0", SeenTestbox.Idle, 1024)];

        var reason = Assert.Single(WaitExplainer.Explain(Required, 1536, seen, 0));

        Assert.Equal("the job needs 1536 MiB of memory, but the only matching testbox, vm-2p8g--h1-0, has 1 GiB", reason.Message);
    }

    [Fact]
    public void UnknownMemoryAndNoNeedBothCountAsEnough()
    {
        SeenTestbox[] unknown = [Box("vm-2p8g--h1-0", SeenTestbox.Idle, 1024), Box("vm-2p8g--h2-0", SeenTestbox.Idle)];
        SeenTestbox[] small = [Box("vm-2p8g--h1-0", SeenTestbox.Idle, 1024)];

        Assert.Equal([WaitReason.ShouldRunSoon], Codes(WaitExplainer.Explain(Required, 16384, unknown, 0)));
        Assert.Equal([WaitReason.ShouldRunSoon], Codes(WaitExplainer.Explain(Required, 0, small, 0)));
        Assert.Equal([WaitReason.ShouldRunSoon], Codes(WaitExplainer.Explain(Required, 1024, small, 0)));
    }

    [Fact]
    public void AllBusyCountsTheMatchingTestboxesByState()
    {
        SeenTestbox[] seen =
        [
            Box("vm-2p8g--h1-0", SeenTestbox.Booting),
            Box("vm-2p8g--h1-1", SeenTestbox.Running),
            Box("vm-2p16g--h2-0", SeenTestbox.Idle),
            Box("vm-2p8g--h3-0", SeenTestbox.Idle, arch: "x86_64"),
        ];

        var reason = Assert.Single(WaitExplainer.Explain(Required, 0, seen, 0));

        Assert.Equal(WaitReason.AllBusy, reason.Code);
        Assert.Equal("2 matching testboxes: 1 running, 1 booting; none is idle or requesting", reason.Message);
    }

    [Fact]
    public void AFreeTestboxWithTooLittleMemoryDoesNotCount()
    {
        SeenTestbox[] seen = [Box("vm-2p8g--h1-0", SeenTestbox.Idle, 4096), Box("vm-2p8g--h2-0", SeenTestbox.Running, 16384)];

        var reason = Assert.Single(WaitExplainer.Explain(Required, 8192, seen, 0));

        Assert.Equal("1 matching testbox: 1 running; none is idle or requesting", reason.Message);
    }

    [Fact]
    public void QuarantinedAmongBusyIsOnlyCounted()
    {
        SeenTestbox[] seen = [Box("vm-2p8g--h1-0", SeenTestbox.Quarantined), Box("vm-2p8g--h2-0", SeenTestbox.Running)];

        var reason = Assert.Single(WaitExplainer.Explain(Required, 0, seen, 0));

        Assert.Equal("2 matching testboxes: 1 running, 1 quarantined; none is idle or requesting", reason.Message);
    }

    [Fact]
    public void AllQuarantinedSaysAnOperatorCanReleaseTheHost()
    {
        SeenTestbox[] seen = [Box("vm-2p8g--h1-0", SeenTestbox.Quarantined), Box("vm-2p8g--h1-1", SeenTestbox.Quarantined)];

        var reasons = WaitExplainer.Explain(Required, 0, seen, 0);

        Assert.Equal([WaitReason.Quarantined, WaitReason.AllBusy], Codes(reasons));
        Assert.Equal("2 matching testboxes are quarantined; an operator can release the host to put them back in service", reasons[0].Message);
        Assert.Equal("2 matching testboxes: 2 quarantined; none is idle or requesting", reasons[1].Message);
    }

    [Fact]
    public void AllOfflineSaysSo()
    {
        SeenTestbox[] seen = [Box("vm-2p8g--h1-0", SeenTestbox.Offline)];

        var reasons = WaitExplainer.Explain(Required, 0, seen, 2);

        Assert.Equal([WaitReason.Offline, WaitReason.AllBusy, WaitReason.JobsAhead], Codes(reasons));
        Assert.Equal("1 matching testbox is offline, so it cannot ask for jobs", reasons[0].Message);
        Assert.Equal("2 jobs ahead of it in its queue", reasons[2].Message);
    }

    [Fact]
    public void QuarantinedAndOfflineTogetherGiveBoth()
    {
        SeenTestbox[] seen =
        [
            Box("vm-2p8g--h1-0", SeenTestbox.Offline),
            Box("vm-2p8g--h2-0", SeenTestbox.Quarantined),
            Box("vm-2p8g--h2-1", SeenTestbox.Offline),
        ];

        var reasons = WaitExplainer.Explain(Required, 0, seen, 0);

        Assert.Equal([WaitReason.Quarantined, WaitReason.Offline, WaitReason.AllBusy], Codes(reasons));
        Assert.StartsWith("1 matching testbox is quarantined; ", reasons[0].Message);
        Assert.StartsWith("2 matching testboxes are offline, ", reasons[1].Message);
        Assert.Equal("3 matching testboxes: 1 quarantined, 2 offline; none is idle or requesting", reasons[2].Message);
    }

    [Fact]
    public void JobsAheadOfAFreeTestboxAreTheOnlyReason()
    {
        SeenTestbox[] seen = [Box("vm-2p8g--h1-0", SeenTestbox.Idle)];

        var reason = Assert.Single(WaitExplainer.Explain(Required, 0, seen, 1));

        Assert.Equal(WaitReason.JobsAhead, reason.Code);
        Assert.Equal("1 job ahead of it in its queue", reason.Message);
    }

    [Fact]
    public void AFreeMatchingTestboxAndNothingAheadShouldRunSoon()
    {
        SeenTestbox[] seen =
        [
            Box("vm-2p8g--h1-0", SeenTestbox.Idle),
            Box("vm-2p8g--h1-1", SeenTestbox.Requesting),
            Box("vm-2p8g--h1-2", SeenTestbox.Running),
        ];

        var reason = Assert.Single(WaitExplainer.Explain(Required, 0, seen, 0));

        Assert.Equal(WaitReason.ShouldRunSoon, reason.Code);
        Assert.Equal("2 matching testboxes are free (idle or requesting); the job should be taken on the next request", reason.Message);
        Assert.Null(WaitExplainer.Warning(Required, seen));
    }

    [Fact]
    public void ABusyMatchIsNoWarning()
    {
        SeenTestbox[] seen = [Box("vm-2p8g--h1-0", SeenTestbox.Quarantined)];

        Assert.Null(WaitExplainer.Warning(Required, seen));
    }

    [Theory]
    [InlineData(1024, "1 GiB")]
    [InlineData(16384, "16 GiB")]
    [InlineData(1536, "1536 MiB")]
    [InlineData(0, "0 MiB")]
    public void SizesAreInGibibytesWhenWhole(long mebibytes, string shown)
    {
        Assert.Equal(shown, WaitExplainer.Size(mebibytes));
    }
}
