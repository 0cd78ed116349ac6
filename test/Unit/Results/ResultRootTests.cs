using System.Text.Json.Nodes;
using CompassCi.Grains.Results;

namespace CompassCi.Tests.Unit.Results;

/// <summary>result_root as compass-ci builds it (src/lib/job.cr set_result_root, src/scheduler/pp_params.cr).</summary>
public sealed class ResultRootTests
{
    private static readonly DateOnly Day = new(2025, 3, 7);

    private static JsonObject Job(JsonObject? pp = null) => new()
    {
        ["suite"] = "ebizzy",
        ["tbox_group"] = "vm-2p8g",
        ["os"] = "openeuler",
        ["os_version"] = "20.03",
        ["arch"] = "aarch64",
        ["pp"] = pp,
    };

    [Fact]
    public void Suite_date_tbox_group_rootfs_pp_values_and_id_in_that_order()
    {
        var job = Job(new JsonObject { ["ebizzy"] = new JsonObject { ["threads"] = 4, ["duration"] = "10s", ["iterations"] = "100x" } });

        // Keys sorted: ebizzy.duration, ebizzy.iterations, ebizzy.threads.
        Assert.Equal("/result/ebizzy/2025-03-07/vm-2p8g/openeuler-20.03-aarch64/10s-100x-4/42", ResultRoot.For(job, 42, Day));
    }

    [Fact]
    public void Without_pp_the_segment_is_left_out()
    {
        Assert.Equal("/result/ebizzy/2025-03-07/vm-2p8g/openeuler-20.03-aarch64/7", ResultRoot.For(Job(), 7, Day));
    }

    [Fact]
    public void Pp_values_lose_characters_other_than_word_dash_dot_and_slash_becomes_dash()
    {
        var flat = new Dictionary<string, string> { ["a.x"] = "fs/ext4", ["b.y"] = "a b:c", ["c.z"] = "" };

        Assert.Equal("fs-ext4-abc", ResultRoot.PpValues(flat));
    }

    [Fact]
    public void Pp_values_stop_at_40_characters_of_values_not_counting_the_dashes()
    {
        var flat = new Dictionary<string, string>
        {
            ["a.a"] = new string('x', 30),
            ["b.b"] = new string('y', 15),
            ["c.c"] = "never",
        };

        // 30 x, then 10 of the 15 y (40 used), then nothing more.
        Assert.Equal(new string('x', 30) + "-" + new string('y', 10), ResultRoot.PpValues(flat));
    }

    [Fact]
    public void Values_starting_with_underscore_do_not_count_and_leading_or_trailing_dashes_go()
    {
        var job = Job(new JsonObject { ["p"] = new JsonObject { ["a"] = "_ignored", ["b"] = "-x-", ["c"] = null } });

        Assert.Equal(new Dictionary<string, string> { ["p.b"] = "-x-", ["p.c"] = "" }, PpParams.Flatten(job));
        Assert.Equal("x", ResultRoot.PpValues(PpParams.Flatten(job)));
    }

    [Fact]
    public void Text_that_would_leave_its_folder_becomes_a_plain_name()
    {
        var job = new JsonObject { ["suite"] = "../../etc", ["tbox_group"] = "..", ["pp"] = new JsonObject { ["p"] = new JsonObject { ["a"] = ".." } } };

        var root = ResultRoot.For(job, 1, Day);

        Assert.Equal("/result/.._.._etc/2025-03-07/_/_/1", root);
        Assert.DoesNotContain(ResultRoot.Segments(root), s => s is "." or "..");
    }

    [Fact]
    public void A_rescheduled_attempt_gets_the_same_folder_under_its_own_id()
    {
        Assert.Equal("/result/s/2025-03-07/g/9", ResultFields.ForSuccessor("/result/s/2025-03-07/g/8", 9));
        Assert.Null(ResultFields.ForSuccessor(null, 9));
    }
}
