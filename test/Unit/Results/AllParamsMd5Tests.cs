using System.Text.Json.Nodes;
using CompassCi.Grains.Results;

namespace CompassCi.Tests.Unit.Results;

/// <summary>
/// all_params_md5 as compass-ci computes it: MD5 of Crystal's text for the sorted (key, value) pairs of the flat pp plus
/// tbox_group, os, os_arch and os_version. The expected digests were worked out by hand with md5sum, e.g.
/// <c>echo -n '[{"ebizzy.duration", "10s"}, {"ebizzy.threads", "4"}, {"os", "debian"}, {"os_arch", "x86_64"}, {"os_version", "12"}, {"tbox_group", "vm-2p8g"}]' | md5sum</c>.
/// </summary>
public sealed class AllParamsMd5Tests
{
    [Fact]
    public void The_digest_of_pp_and_the_common_params_matches_the_one_worked_out_by_hand()
    {
        var job = new JsonObject
        {
            ["suite"] = "ebizzy",
            ["tbox_group"] = "vm-2p8g",
            ["os"] = "debian",
            ["os_version"] = "12",
            ["arch"] = "x86_64",
            ["pp"] = new JsonObject { ["ebizzy"] = new JsonObject { ["threads"] = 4, ["duration"] = "10s" } },
        };

        Assert.Equal(
            """[{"ebizzy.duration", "10s"}, {"ebizzy.threads", "4"}, {"os", "debian"}, {"os_arch", "x86_64"}, {"os_version", "12"}, {"tbox_group", "vm-2p8g"}]""",
            AllParamsMd5.CrystalText(new Dictionary<string, string>(PpParams.Flatten(job))
            {
                ["tbox_group"] = "vm-2p8g", ["os"] = "debian", ["os_arch"] = "x86_64", ["os_version"] = "12",
            }));
        Assert.Equal("0440a0ca78aaf8bf298a916c6d9bd72f", AllParamsMd5.Of(job));
    }

    [Fact]
    public void Without_pp_only_the_common_params_count_and_the_suite_does_not()
    {
        var job = new JsonObject { ["suite"] = "a", ["tbox_group"] = "taishan200-2280-2s64p-256g", ["os"] = "openeuler", ["os_version"] = "20.03", ["os_arch"] = "aarch64" };
        var other = new JsonObject { ["suite"] = "b", ["tbox_group"] = "taishan200-2280-2s64p-256g", ["os"] = "openeuler", ["os_version"] = "20.03", ["arch"] = "aarch64" };

        Assert.Equal("f5fed783b2f68bae137f14270da51cd1", AllParamsMd5.Of(job));
        Assert.Equal(AllParamsMd5.Of(job), AllParamsMd5.Of(other));
    }

    [Fact]
    public void Nothing_at_all_is_the_digest_of_an_empty_array()
    {
        Assert.Equal("d751713988987e9331980363e24189ce", AllParamsMd5.Of([]));
    }

    [Fact]
    public void A_changed_parameter_or_testbox_group_changes_the_digest()
    {
        JsonObject Job(string threads, string group) => new() { ["tbox_group"] = group, ["pp"] = new JsonObject { ["t"] = new JsonObject { ["n"] = threads } } };

        Assert.NotEqual(AllParamsMd5.Of(Job("1", "g")), AllParamsMd5.Of(Job("2", "g")));
        Assert.NotEqual(AllParamsMd5.Of(Job("1", "g")), AllParamsMd5.Of(Job("1", "h")));
        Assert.Equal(AllParamsMd5.Of(Job("1", "g")), AllParamsMd5.Of(Job("1", "g")));
    }

    [Fact]
    public void Quotes_backslashes_and_interpolation_are_escaped_as_Crystal_inspects_strings()
    {
        Assert.Equal("""[{"k", "a\"b\\c\#{d}#e\n"}]""", AllParamsMd5.CrystalText(new Dictionary<string, string> { ["k"] = "a\"b\\c#{d}#e\n" }));
    }
}
