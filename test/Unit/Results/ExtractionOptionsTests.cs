using CompassCi.Grains.Results.Extraction;
using Microsoft.Extensions.Configuration;

namespace CompassCi.Tests.Unit.Results;

public class ExtractionOptionsTests
{
    [Fact]
    public void DefaultsPassTheCheck() => Assert.Empty(new ExtractionOptions().Check());

    [Fact]
    public void PatternThatDoesNotCompileIsNamedByIndex()
    {
        var options = new ExtractionOptions { FailurePatterns = ["dmesg.*", "oops(", "kmsg.*"], MaxLatencyPatterns = ["[z-a]"] };

        var problems = options.Check().ToList();

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("CompassCi:Extraction:FailurePatterns:1 is 'oops(', which is not a regular expression: ", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("CompassCi:Extraction:MaxLatencyPatterns:0 is '[z-a]'", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void LkpSrcThatIsNoFolderIsRefused()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-lkp-" + Guid.NewGuid().ToString("N"));

        var problem = Assert.Single(new ExtractionOptions { LkpSrc = missing }.Check());

        Assert.Equal($"CompassCi:Extraction:LkpSrc is '{missing}', which is not a folder; it must name an lkp-tests checkout", problem);
    }

    [Fact]
    public void LkpSrcWithoutTheListsIsRefusedNamingThem()
    {
        using var folder = ResultFolder.Empty();
        Directory.CreateDirectory(folder.File("etc"));
        File.WriteAllText(Path.Combine(folder.File("etc"), "failure"), "dmesg.*\n");

        var problem = Assert.Single(new ExtractionOptions { LkpSrc = folder.Path }.Check());

        Assert.Contains("without etc/independent-counter-prefixes, etc/event-counter-prefixes, etc/ignore-part-prefixes, etc/add-max-latency", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void LkpSrcPatternThatDoesNotCompileIsNamed()
    {
        using var folder = ResultFolder.Empty();
        var etc = folder.File("etc");
        Directory.CreateDirectory(etc);
        foreach (var file in LkpLists.Files)
        {
            File.WriteAllText(Path.Combine(etc, file), "x.\n");
        }

        File.WriteAllText(Path.Combine(etc, "failure"), "dmesg.*\n\nbad[\n");

        var problem = Assert.Single(new ExtractionOptions { LkpSrc = folder.Path }.Check());

        // The blank line is dropped, so the bad pattern is the second.
        Assert.StartsWith("CompassCi:Extraction:LkpSrc FailurePatterns:1 is 'bad['", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void SizeAndTimeoutOutOfRangeAreRefused()
    {
        var problems = new ExtractionOptions { MaxFileBytes = 10, PatternMatchTimeout = TimeSpan.Zero }.Check().ToList();

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("CompassCi:Extraction:MaxFileBytes is 10;", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("CompassCi:Extraction:PatternMatchTimeout is 00:00:00;", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ConfiguredListReplacesTheDefaultsInsteadOfAddingToThem()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CompassCi:Extraction:FailurePatterns:0"] = "oops.*",
        }).Build();
        var options = new ExtractionOptions();

        configuration.GetSection(ExtractionOptions.Section).Bind(options);
        var lists = ExtractionLists.From(options);

        Assert.Equal(["oops.*"], lists.FailurePatterns);
        Assert.Equal(ExtractionDefaults.EventCounterPrefixes, lists.EventCounterPrefixes);
    }
}
