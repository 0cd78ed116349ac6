using System.Text;
using CompassCi.Grains.Json;
using CompassCi.Grains.Submit;

namespace CompassCi.Tests.Unit.Jobs;

public sealed class StrictJsonTests
{
    [Theory]
    [InlineData(new byte[] { (byte)'"', 0xFF, 0xFE, (byte)'"' }, "byte 0xFF at offset 1")]
    [InlineData(new byte[] { (byte)'"', 0xC3, 0x28, (byte)'"' }, "byte 0xC3 at offset 1")]
    [InlineData(new byte[] { (byte)'"', 0xED, 0xA0, 0x80, (byte)'"' }, "byte 0xED at offset 1")]
    [InlineData(new byte[] { (byte)'"', 0xE2, 0x82 }, "at offset 1")]
    public void BytesThatAreNotUtf8AreRefusedWithTheirPlace(byte[] body, string place)
    {
        var (root, error) = StrictJson.Parse(body);

        Assert.Null(root);
        Assert.Contains(place, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"suite": "\ud800"}""", "suite")]
    [InlineData("""{"a": {"b": ["x", "\udc00"]}}""", "a.b[1]")]
    [InlineData("""{"a": {"\ud800": 1}}""", "a key")]
    [InlineData("""["\ud800"]""", "[0]")]
    [InlineData("\"\\ud800\"", "the value")]
    public void EscapedLoneSurrogatesAreRefusedNamingWhere(string json, string where)
    {
        var (root, error) = StrictJson.Parse(Encoding.ASCII.GetBytes(json));

        Assert.Null(root);
        Assert.Contains(where, error, StringComparison.Ordinal);
        Assert.Contains("lone surrogate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void PairedSurrogatesAndOtherTextAreKept()
    {
        var (root, error) = StrictJson.Parse(Encoding.UTF8.GetBytes("""{"clef": "\ud834\udd1e", "raw": "𝄞", "nul": "a\u0000b", "ü": "ü"}"""));

        Assert.Null(error);
        Assert.Equal("𝄞", root!["clef"]!.GetValue<string>());
        Assert.Equal("a\0b", root["nul"]!.GetValue<string>());
    }

    [Fact]
    public void DuplicateKeysAreRefused()
    {
        var (root, error) = StrictJson.Parse("""{"stage": "running", "stage": "boot"}"""u8);

        Assert.Null(root);
        Assert.Contains("invalid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AYamlAliasRepeatedPastTheTextLimitIsRefused()
    {
        var yaml = new StringBuilder("suite: a\nmy_account: b\nbig: &s '").Append('x', 100 * 1024).Append("'\nrep: [")
            .AppendJoin(", ", Enumerable.Repeat("*s", 10)).Append("]\n").ToString();

        var result = JobDocumentReader.Read(Encoding.UTF8.GetBytes(yaml), "application/yaml");

        Assert.Null(result.Document);
        Assert.Contains($"more than {YamlJobParser.MaxExpandedCharacters} characters", result.Errors["body"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void AYamlAliasWithinTheTextLimitIsExpanded()
    {
        var yaml = "suite: a\nmy_account: b\nbig: &s 'xyz'\nrep: [*s, *s]\n";

        var result = JobDocumentReader.Read(Encoding.UTF8.GetBytes(yaml), "application/yaml");

        Assert.Equal("""["xyz","xyz"]""", result.Document!["rep"]!.ToJsonString());
    }
}
