using System.Text.Json.Nodes;
using CompassCi.Grains.Compat.JobInitrd;
using YamlDotNet.Serialization;

namespace CompassCi.Tests.Unit.Compat.JobInitrd;

public class YamlTextTests
{
    // Read back with YamlDotNet resolving unquoted scalars to numbers and booleans, as a YAML 1.1 reader would.
    private static readonly IDeserializer Reader = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();
    private static readonly ISerializer AsJson = new SerializerBuilder().JsonCompatible().Build();

    public static readonly TheoryData<string> Strings =
    [
        "ebizzy", "openeuler-20.03-aarch64", "200%", "8G", "/result/a b/c", "user=lkp job=/lkp/scheduled/job.yaml ip=dhcp",
        "20.03", "1", "-1", "+1", "1e3", "0x1F", "0o17", "1_000", "1:30", ".5", ".inf", "2026-03-01", "2026-03-01 10:00:00",
        "true", "False", "yes", "NO", "on", "off", "y", "n", "null", "Null", "~", "",
        " leading", "trailing ", "a: b", "a:", ":a", "#comment", "a #b", "- x", "-", "? x", "[x]", "{x}", "*alias", "&anchor",
        "!tag", "|", ">", "%x", "@x", "`x`", "it's", "\"quoted\"", "back\\slash", "multi\nline\n", "tab\there", "cr\rlf",
        "nul\u0000", "nel\u0085", "ls\u2028", "bom\uFEFF", "ünïcödé 测试", "=", "<<",
    ];

    [Theory]
    [MemberData(nameof(Strings))]
    public void A_string_reads_back_as_that_string_on_one_line(string value)
    {
        var yaml = YamlText.Of(new JsonObject { ["k"] = value, [value] = "as a key" });

        Assert.Equal(2, yaml.Count(c => c == '\n'));
        var read = Reader.Deserialize<Dictionary<string, object?>>(yaml);
        Assert.Equal(value, Assert.IsType<string>(read["k"]));
        Assert.Equal("as a key", read[value]);
    }

    [Fact]
    public void Values_lkp_reads_with_grep_are_plain_key_value_lines()
    {
        var yaml = YamlText.Of(new JsonObject { ["suite"] = "ebizzy", ["rootfs"] = "openeuler-20.03-aarch64", ["do_not_reboot"] = 1, ["os_version"] = "20.03" });
        Assert.Equal("suite: ebizzy\nrootfs: openeuler-20.03-aarch64\ndo_not_reboot: 1\nos_version: \"20.03\"\n", yaml);
    }

    [Fact]
    public void A_nested_document_reads_back_equal()
    {
        var document = new JsonObject
        {
            ["#! jobs/ebizzy.yaml"] = null,
            ["suite"] = "ebizzy",
            ["runtime"] = 300,
            ["ratio"] = 1.5,
            ["flag"] = true,
            ["off"] = false,
            ["pp"] = new JsonObject { ["ebizzy"] = new JsonObject { ["duration"] = "10s", ["threads"] = new JsonArray(1, "50%") } },
            ["list"] = new JsonArray("a", new JsonObject { ["b"] = "c", ["d"] = new JsonArray() }, new JsonArray("e", null), null),
            ["empty"] = new JsonObject(),
        };

        var read = Reader.Deserialize<object>(YamlText.Of(document));
        Assert.True(JsonNode.DeepEquals(document, JsonNode.Parse(AsJson.Serialize(read))), YamlText.Of(document));
    }
}
