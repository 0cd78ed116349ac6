using CompassCi.Grains.Scheduling;
using Xunit;

namespace CompassCi.Tests.Unit.Scheduling;

public class TagSetTests
{
    [Fact]
    public void NormalizeOfferFoldsAliasesAndSortsByName()
    {
        var result = TagSet.NormalizeOffer(new Dictionary<string, string>
        {
            ["tbox_group"] = "vm-2p8g",
            ["os_arch"] = "aarch64",
            ["hw_type"] = "vm",
            ["Zone"] = "lab-z9",
        });

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Tags);
        Assert.Equal(["Zone", "arch", "tbox_group", "tbox_type"], result.Tags.Keys);
        Assert.Equal("aarch64", result.Tags["arch"]);
        Assert.Equal("vm", result.Tags["tbox_type"]);
    }

    [Fact]
    public void NormalizeOfferAcceptsAnAliasThatAgreesWithItsCanonicalName()
    {
        var result = TagSet.NormalizeOffer(new Dictionary<string, string> { ["arch"] = "x86_64", ["os_arch"] = "x86_64" });

        Assert.Empty(result.Errors);
        Assert.Equal(new Dictionary<string, string> { ["arch"] = "x86_64" }, result.Tags);
    }

    [Theory]
    [InlineData("os_arch", "arch")]
    [InlineData("hw_type", "tbox_type")]
    public void NormalizeOfferReportsAConflictingAliasOnTheAlias(string alias, string canonical)
    {
        // The alias comes first in the dictionary: the error must still name the alias.
        var result = TagSet.NormalizeOffer(new Dictionary<string, string> { [alias] = "one", [canonical] = "two" });

        Assert.Null(result.Tags);
        var error = Assert.Single(result.Errors);
        Assert.Equal("tags." + alias, error.Key);
        Assert.Contains($"conflicts with tags.{canonical}", Assert.Single(error.Value), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "x")]
    [InlineData("has space", "x")]
    [InlineData("k=v", "x")]
    [InlineData("a,b", "x")]
    [InlineData("ünïcode", "x")]
    [InlineData("k", "")]
    [InlineData("k", "a,b")]
    [InlineData("k", "line\nbreak")]
    [InlineData("k", "tab\there")]
    public void NormalizeOfferRejectsBadNamesAndValues(string key, string value)
    {
        var result = TagSet.NormalizeOffer(new Dictionary<string, string> { [key] = value, ["fine"] = "yes" });

        Assert.Null(result.Tags);
        Assert.Equal(["tags." + key], result.Errors.Keys);
    }

    [Fact]
    public void NormalizeOfferEnforcesLengthLimits()
    {
        var longest = new Dictionary<string, string> { [new string('k', 64)] = new string('v', 255) };
        var tooLongKey = new Dictionary<string, string> { [new string('k', 65)] = "v" };
        var tooLongValue = new Dictionary<string, string> { ["k"] = new string('v', 256) };

        Assert.Empty(TagSet.NormalizeOffer(longest).Errors);
        Assert.Equal(["tags." + new string('k', 65)], TagSet.NormalizeOffer(tooLongKey).Errors.Keys);
        Assert.Contains("limit is 255", Assert.Single(TagSet.NormalizeOffer(tooLongValue).Errors["tags.k"]), StringComparison.Ordinal);
    }

    [Fact]
    public void NormalizeOfferOfNothingIsEmpty()
    {
        var result = TagSet.NormalizeOffer(new Dictionary<string, string>());

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Tags);
        Assert.Empty(result.Tags);
    }

    [Fact]
    public void CanonicalKeySortsByOrdinalName()
    {
        var tags = new Dictionary<string, string> { ["testbox"] = "vm-2p8g--h1-0", ["arch"] = "aarch64", ["B"] = "upper", ["a_b"] = "1" };

        // Ordinal: upper case before lower case, '_' (0x5F) before lower-case letters.
        Assert.Equal("B=upper,a_b=1,arch=aarch64,testbox=vm-2p8g--h1-0", TagSet.CanonicalKey(tags));
    }

    [Fact]
    public void CanonicalKeyDoesNotDependOnInsertionOrder()
    {
        var one = new Dictionary<string, string> { ["x"] = "1", ["y"] = "2", ["z"] = "3" };
        var other = new Dictionary<string, string> { ["z"] = "3", ["x"] = "1", ["y"] = "2" };

        Assert.Equal(TagSet.CanonicalKey(one), TagSet.CanonicalKey(other));
    }

    [Fact]
    public void CanonicalKeyOfNoTagsMatchesEverything()
    {
        Assert.Equal("*", TagSet.CanonicalKey(new Dictionary<string, string>()));
        Assert.Equal(TagSet.MatchAll, TagSet.CanonicalKey(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("bad key", "v")]
    [InlineData("k", "a,b")]
    [InlineData("k", "")]
    public void CanonicalKeyRefusesTagsItCouldNotReadBack(string key, string value)
    {
        Assert.Throws<ArgumentException>(() => TagSet.CanonicalKey(new Dictionary<string, string> { [key] = value }));
    }

    [Fact]
    public void ParseKeyOfMatchAllIsEmpty()
    {
        Assert.Empty(TagSet.ParseKey("*"));
    }

    [Fact]
    public void ParseKeyReadsTagsInOrder()
    {
        var tags = TagSet.ParseKey("arch=aarch64,tbox_group=vm-2p8g");

        Assert.Equal([new("arch", "aarch64"), new("tbox_group", "vm-2p8g")], tags);
    }

    [Fact]
    public void ParseKeySplitsAtTheFirstEquals()
    {
        var tag = Assert.Single(TagSet.ParseKey("kernel_cmdline=a=b"));

        Assert.Equal(new KeyValuePair<string, string>("kernel_cmdline", "a=b"), tag);
    }

    [Theory]
    [InlineData("arch=aarch64")]
    [InlineData("B=upper,a_b=1,arch=aarch64,testbox=vm-2p8g--h1-0")]
    [InlineData("k=a=b,queue=q.1")]
    public void ParseKeyIsTheInverseOfCanonicalKey(string key)
    {
        var tags = TagSet.ParseKey(key).ToDictionary(t => t.Key, t => t.Value);

        Assert.Equal(key, TagSet.CanonicalKey(tags));
    }

    [Theory]
    [InlineData("")]
    [InlineData("arch")]
    [InlineData("=x")]
    [InlineData("arch=")]
    [InlineData("arch=x,")]
    [InlineData("b=1,a=2")]
    [InlineData("a=1,a=2")]
    [InlineData("bad key=1")]
    [InlineData("*,a=1")]
    public void ParseKeyRejectsWhatCanonicalKeyCannotMake(string key)
    {
        Assert.Throws<FormatException>(() => TagSet.ParseKey(key));
    }

    [Theory]
    [InlineData("vm-2p8g--h1-0", "vm-2p8g")]
    [InlineData("taishan200-2280-2s48p-256g--a66", "taishan200-2280-2s48p-256g")]
    [InlineData("dc-8g.abc", "dc-8g")]
    [InlineData("vm-2p8g.taishan--1", "vm-2p8g")]
    [InlineData("vm-2p8g--a.b", "vm-2p8g")]
    [InlineData("lkp-bdw-ep4", "lkp-bdw-ep4")]
    [InlineData("vm-2p8g-h1", "vm-2p8g-h1")]
    public void TboxGroupIsTheTestboxNameUpToTheFirstDoubleDashOrDot(string testbox, string group)
    {
        Assert.Equal(group, TboxGroup.FromTestbox(testbox));
    }
}
