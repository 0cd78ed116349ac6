using CompassCi.Grains.Results;

namespace CompassCi.Tests.Unit.Results;

/// <summary>Which request paths under /result are plain names, and which are refused before the file system sees them.</summary>
public sealed class ResultPathTests
{
    [Theory]
    [InlineData("/result/a/b/c", new[] { "a", "b", "c" }, false)]
    [InlineData("/result/a/b/", new[] { "a", "b" }, true)]
    [InlineData("/result/a/sub//dir/", new[] { "a", "sub", "dir" }, true)]
    [InlineData("/result/a/%20x%C3%A9", new[] { "a", " x\u00e9" }, false)]
    [InlineData("/result/a/...", new[] { "a", "..." }, false)]
    [InlineData("/result", new string[0], false)]
    public void Plain_paths_read_as_their_names(string raw, string[] names, bool endsWithSlash)
    {
        var path = ResultPath.Parse(raw, out var problem);

        Assert.Null(problem);
        Assert.Equal(names, path!.Names);
        Assert.Equal(endsWithSlash, path.EndsWithSlash);
    }

    [Theory]
    [InlineData("/result/a/../b", "'..'")]
    [InlineData("/result/a/./b", "'.'")]
    [InlineData("/result/a/%2e%2E/b", "'..'")]
    [InlineData("/result/a/%2F/b", "'/'")]
    [InlineData("/result/a%2Fb", "'/'")]
    [InlineData("/result/a\\b", "'\\'")]
    [InlineData("/result/a%5cb", "'\\'")]
    [InlineData("/result/a%0Ab", "control")]
    [InlineData("/result/a%zz", "two hex digits")]
    [InlineData("/result/a%FF", "UTF-8")]
    [InlineData("/other/a", "not under /result/")]
    [InlineData("/resultx/a", "not under /result/")]
    [InlineData("/result/.compassci-upload-1234", "server's own")]
    public void Dot_segments_escaped_separators_and_control_characters_are_refused(string raw, string why)
    {
        Assert.Null(ResultPath.Parse(raw, out var problem));
        Assert.Contains(why, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_longer_than_the_file_system_takes_is_refused()
    {
        Assert.Null(ResultPath.Parse("/result/" + new string('x', 256), out var problem));
        Assert.Contains("255 bytes", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_is_within_a_root_when_it_starts_with_every_one_of_its_names()
    {
        string[] root = ["s", "2025-01-01", "g", "7"];

        Assert.True(ResultPath.Parse("/result/s/2025-01-01/g/7", out _)!.IsWithin(root));
        Assert.True(ResultPath.Parse("/result/s/2025-01-01/g/7/x/y", out _)!.IsWithin(root));
        Assert.False(ResultPath.Parse("/result/s/2025-01-01/g/77/x", out _)!.IsWithin(root));
        Assert.False(ResultPath.Parse("/result/s/2025-01-01/g", out _)!.IsWithin(root));
    }
}
