using CompassCi.Grains.Queues;

namespace CompassCi.Tests.Unit.Queues;

public sealed class TagIndexTests
{
    private static TagIndex IndexOf(params string[] keys)
    {
        var index = new TagIndex();
        foreach (var key in keys)
        {
            index.Add(key);
        }

        return index;
    }

    [Fact]
    public void A_key_is_satisfied_only_when_every_one_of_its_tags_is_offered()
    {
        var index = IndexOf("arch=aarch64,tbox_group=vm-2p8g", "arch=aarch64", "arch=x86_64", "tbox_group=vm-2p8g,testbox=vm-2p8g--1");

        var found = index.Satisfied(new Dictionary<string, string> { ["arch"] = "aarch64", ["tbox_group"] = "vm-2p8g", ["testbox"] = "vm-2p8g--0" });

        Assert.Equal(["arch=aarch64", "arch=aarch64,tbox_group=vm-2p8g"], found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_match_all_key_is_satisfied_by_any_offer_even_an_empty_one()
    {
        var index = IndexOf("*", "arch=riscv64");

        Assert.Equal(["*"], index.Satisfied(new Dictionary<string, string>()));
        Assert.Equal(["*"], index.Satisfied(new Dictionary<string, string> { ["arch"] = "aarch64" }));
    }

    [Fact]
    public void A_value_must_match_exactly_not_by_prefix()
    {
        var index = IndexOf("tbox_group=vm-2p8g");

        Assert.Empty(index.Satisfied(new Dictionary<string, string> { ["tbox_group"] = "vm-2p8g-big" }));
        Assert.Empty(index.Satisfied(new Dictionary<string, string> { ["tbox_grou"] = "p=vm-2p8g" }));
    }

    [Fact]
    public void Adding_a_key_twice_keeps_one()
    {
        var index = IndexOf("arch=aarch64");

        Assert.False(index.Add("arch=aarch64"));
        Assert.Single(index.Satisfied(new Dictionary<string, string> { ["arch"] = "aarch64" }));
    }
}
