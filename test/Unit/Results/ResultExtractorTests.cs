using System.IO.Compression;
using System.Text.Json.Nodes;
using CompassCi.Grains.Results.Extraction;
using Microsoft.Extensions.Options;

namespace CompassCi.Tests.Unit.Results;

/// <summary>
/// Extraction of the fixture result folder <c>Fixtures/lkp/results/ebizzy-run</c> (monitor files in dump-stat's
/// format) and of small folders written here. Every expected stat is worked out by hand in the comments, from
/// lkp-tests' rules, not by running the code under test.
/// </summary>
public class ResultExtractorTests
{
    private static ResultExtractor Extractor(ExtractionOptions? options = null) => new(Options.Create(options ?? new ExtractionOptions()));

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The stats of the fixture folder, each from its samples.</summary>
    private static readonly (string Key, string Json)[] FixtureStats =
    [
        ("dmesg.WARNING:at_mm/page_alloc.c:__alloc_pages", "1"),    // one sample
        ("dmesg.boot_failures", "1"),                                // one sample
        ("ebizzy.throughput", "12345"),                              // one sample
        ("ebizzy.throughput.per_thread.max", "2.5"),                 // one sample, a Float
        ("pkg.install.fail", "1"),                                   // one sample
        ("pkg.install.fail_count", "3"),                             // (2 + 4) / 2
        ("pkg.missing.element", "\"libfoo\""),                       // one sample, a string, kept
        ("proc-vmstat.nr_free_pages", "7"),                          // (7 + 8 + 8) / 3 = 23 / 3, floored
        ("proc-vmstat.pgfault", "1600"),                             // event counter: 2600 - 1000
        ("time.elapsed_time", "11"),                                 // (10 + 13) / 2 = 23 / 2, floored
        ("time.elapsed_time.max", "13"),                             // max-latency pattern .*time\.elapsed_time
        ("time.user_time", "3.75"),                                  // independent counter: 1.5 + 2.25
        ("time.voluntary_context_switches", "301"),                  // independent counter: 100 + 201
        ("vmstat.cpu_us", "11.0"),                                   // (10.5 + 11.0 + 12.25 + 9.75 + 11.5) / 5 = 55.0 / 5, a Float
        ("vmstat.delta", "-2"),                                      // (-3 + -4) / 5 (the longest column, vmstat.time): -7 / 5 floors to -2
        ("vmstat.free", "102"),                                      // (100 + 101 + 102 + 104 + 107) / 5 = 514 / 5, floored
        ("vmstat.swpd", "0"),                                        // (0 + 0 + 4) / 5: divided by the longest column, not by 3
    ];

    [Fact]
    public async Task FixtureFolderGivesLkpsStatsOrderedByKey()
    {
        using var folder = ResultFolder.CopyOf("ebizzy-run");

        var result = await Extractor().ExtractAsync(folder.Path, job: null, Cancel);

        Assert.Equal(FixtureStats.Select(s => s.Key), result.Stats.Select(s => s.Key));
        foreach (var (key, json) in FixtureStats)
        {
            Assert.True(json == result.Stats[key]!.ToJsonString(), $"{key}: expected {json}, got {result.Stats[key]!.ToJsonString()}");
        }

        // dmesg, ebizzy, pkg, proc-vmstat (.gz), time, vmstat; not the empty, broken or non-object ones, nor stats/matrix.
        Assert.Equal(6, result.MonitorFiles);
        Assert.DoesNotContain("stale.stat", result.Stats.Select(s => s.Key));
        Assert.DoesNotContain("vmstat.time", result.Stats.Select(s => s.Key));
        Assert.DoesNotContain("pkg.message", result.Stats.Select(s => s.Key));
    }

    [Fact]
    public async Task ErridsAreTheSortedStatKeysMatchingFailurePatterns()
    {
        using var folder = ResultFolder.CopyOf("ebizzy-run");

        var result = await Extractor().ExtractAsync(folder.Path, job: null, Cancel);

        // dmesg.* twice, and .+\.(error|warn|fail)[^_]*$ for pkg.install.fail but not pkg.install.fail_count.
        Assert.Equal(["dmesg.WARNING:at_mm/page_alloc.c:__alloc_pages", "dmesg.boot_failures", "pkg.install.fail"], result.Errids);
    }

    [Fact]
    public async Task BadFilesAndKeysAreProblemsNotFailures()
    {
        using var folder = ResultFolder.CopyOf("ebizzy-run");

        var result = await Extractor().ExtractAsync(folder.Path, job: null, Cancel);

        var problems = result.Problems.Select(p => p.ToString()).ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("broken.json: is not JSON", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("notobject.json: is a JSON array, not an object", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("pkg.json: key 'pkg.cannot_download.element' has 2 samples that are not all numbers", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.StartsWith("empty.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatsAndMatrixFilesAreWrittenInLkpsLayout()
    {
        using var folder = ResultFolder.CopyOf("ebizzy-run");

        var result = await Extractor().ExtractAsync(folder.Path, job: null, Cancel);

        var stats = await File.ReadAllTextAsync(folder.File("stats.json"), Cancel);
        Assert.Equal(result.Stats.ToJsonString(), JsonNode.Parse(stats)!.ToJsonString());
        Assert.StartsWith("{\n  \"dmesg.WARNING:at_mm/page_alloc.c:__alloc_pages\": 1,\n", stats, StringComparison.Ordinal);
        Assert.Contains("\n  \"vmstat.cpu_us\": 11.0,\n", stats, StringComparison.Ordinal);   // a Float reads back as a Float

        // The matrix: every monitor's columns as uploaded, .time included, nothing windowed or reduced.
        var matrix = JsonNode.Parse(await File.ReadAllTextAsync(folder.File("matrix.json"), Cancel))!.AsObject();
        Assert.Equal("[1700000000,1700000001,1700000002,1700000003,1700000004]", matrix["vmstat.time"]!.ToJsonString());
        Assert.Equal("[10.5,11.0,12.25,9.75,11.5]", matrix["vmstat.cpu_us"]!.ToJsonString());
        Assert.Equal("[1000,1500,2600]", matrix["proc-vmstat.pgfault"]!.ToJsonString());
        Assert.Equal("[\"liba\",\"libb\"]", matrix["pkg.cannot_download.element"]!.ToJsonString());
        Assert.Equal("\"could not fetch liba\"", matrix["pkg.message"]!.ToJsonString());
        Assert.Null(matrix["stale.stat"]);
        Assert.Contains("\"vmstat.free\": [\n    100,\n    101,", await File.ReadAllTextAsync(folder.File("matrix.json"), Cancel), StringComparison.Ordinal);

        // Written through a temporary file and a rename: none is left behind.
        Assert.Empty(Directory.GetFiles(folder.Path, ".*"));
    }

    [Fact]
    public async Task RunningAgainWritesTheSameFilesAndResult()
    {
        using var folder = ResultFolder.CopyOf("ebizzy-run");
        var extractor = Extractor();

        var first = await extractor.ExtractAsync(folder.Path, job: null, Cancel);
        var stats = await File.ReadAllBytesAsync(folder.File("stats.json"), Cancel);
        var matrix = await File.ReadAllBytesAsync(folder.File("matrix.json"), Cancel);
        var second = await extractor.ExtractAsync(folder.Path, job: null, Cancel);

        Assert.Equal(stats, await File.ReadAllBytesAsync(folder.File("stats.json"), Cancel));
        Assert.Equal(matrix, await File.ReadAllBytesAsync(folder.File("matrix.json"), Cancel));
        Assert.Equal(first.Stats.ToJsonString(), second.Stats.ToJsonString());
        Assert.Equal(first.Errids, second.Errids);
        Assert.Equal(first.MonitorFiles, second.MonitorFiles);
    }

    [Fact]
    public async Task JobsStatsPartWindowPicksSamplesAndSetsTheDivisor()
    {
        using var folder = ResultFolder.Empty();
        folder.Write("vmstat.json", """
            {"vmstat.time": [1700000000, 1700000001, 1700000002, 1700000003, 1700000004, 1700000005],
             "vmstat.free": [10, 20, 30, 40, 50, 60],
             "vmstat.total_io": [1, 2, 3, 4, 5, 6]}
            """);
        var job = new JsonObject { ["stats_part_begin"] = "2", ["stats_part_end"] = 4 };
        var options = new ExtractionOptions { IgnorePartPrefixes = ["vmstat.total_"] };

        var result = await Extractor(options).ExtractAsync(folder.Path, job, Cancel);

        // Relative times 0..5: the window starts at the first time >= 2 (index 2) and ends before the first >= 4
        // (index 4): samples 30 and 40, (30 + 40) / 2 = 35. vmstat.total_io ignores the window and keeps all six
        // samples but is still divided by the window's length: 21 / 2 = 10 (floored).
        Assert.Equal(35, result.Stats["vmstat.free"]!.GetValue<long>());
        Assert.Equal(10, result.Stats["vmstat.total_io"]!.GetValue<long>());
    }

    [Fact]
    public async Task WindowPastAColumnsEndLeavesTheKeyOut()
    {
        using var folder = ResultFolder.Empty();
        folder.Write("sar.json", """
            {"sar.time": [100, 101, 102, 103], "sar.idle": [5, 6, 7, 8], "sar.short": [1, 2]}
            """);

        var result = await Extractor().ExtractAsync(folder.Path, new JsonObject { ["stats_part_begin"] = 3.0 }, Cancel);

        // From index 3 (time 103 - 100 >= 3): sar.idle keeps [8], one sample; sar.short has no sample there.
        Assert.Equal(8, result.Stats["sar.idle"]!.GetValue<long>());
        Assert.False(result.Stats.ContainsKey("sar.short"));
    }

    [Fact]
    public async Task GzipMonitorIsPreferredOverItsPlainTwin()
    {
        using var folder = ResultFolder.Empty();
        folder.Write("iostat.json", """{"iostat.util": [1, 1]}""");
        await using (var gz = new GZipStream(File.Create(folder.File("iostat.json.gz")), CompressionLevel.Fastest))
        {
            await gz.WriteAsync("""{"iostat.util": [4, 6]}"""u8.ToArray(), Cancel);
        }

        var result = await Extractor().ExtractAsync(folder.Path, job: null, Cancel);

        // lkp's load_json reads x.json.gz when asked for x.json: (4 + 6) / 2.
        Assert.Equal(5, result.Stats["iostat.util"]!.GetValue<long>());
        Assert.Equal(1, result.MonitorFiles);
    }

    [Fact]
    public async Task FileOverTheSizeLimitIsSkippedAsAProblem()
    {
        using var folder = ResultFolder.Empty();
        folder.Write("big.json", "{\"big.x\": [" + string.Join(", ", Enumerable.Repeat("1", 1000)) + "]}");
        folder.Write("small.json", """{"small.x": [3]}""");

        var result = await Extractor(new ExtractionOptions { MaxFileBytes = 1024 }).ExtractAsync(folder.Path, job: null, Cancel);

        Assert.Equal(["small.x"], result.Stats.Select(s => s.Key));
        var problem = Assert.Single(result.Problems);
        Assert.Equal("big.json", problem.File);
        Assert.Contains("more than 1024 bytes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredListsReplaceTheDefaults()
    {
        using var folder = ResultFolder.Empty();
        folder.Write("fio.json", """{"fio.ops": [1, 2, 4], "fio.oops_seen": [1]}""");
        var options = new ExtractionOptions { IndependentCounterPrefixes = ["fio.ops"], FailurePatterns = ["fio\\.oops"] };

        var result = await Extractor(options).ExtractAsync(folder.Path, job: null, Cancel);

        Assert.Equal(7, result.Stats["fio.ops"]!.GetValue<long>());   // summed, not (1 + 2 + 4) / 3 = 2
        Assert.Equal(["fio.oops_seen"], result.Errids);
    }

    /// <summary>
    /// With LkpSrc naming the real lkp-tests tree, its etc/ lists decide, as in lkp: the test first reads the lines
    /// it relies on from those files, then checks the verdicts they imply.
    /// </summary>
    [Fact]
    public async Task RealLkpListsGiveLkpsVerdicts()
    {
        var lkp = CompassCi.Tests.Fixtures.LkpFixtures.RealTree();
        var etc = Path.Combine(lkp, "etc");
        var failure = await File.ReadAllLinesAsync(Path.Combine(etc, "failure"), Cancel);
        var events = (await File.ReadAllTextAsync(Path.Combine(etc, "event-counter-prefixes"), Cancel)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var independent = (await File.ReadAllTextAsync(Path.Combine(etc, "independent-counter-prefixes"), Cancel)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(@"kernel-selftests\..+(make_fail|test_make_fail)", failure);
        Assert.Contains(@"leaking-addresses\.dmesg\.(?!R).*", failure);
        Assert.Contains("softirq.", events);
        Assert.DoesNotContain(independent, p => "softirq.TIMER".StartsWith(p, StringComparison.Ordinal));
        Assert.Contains("perf-stat.total.", independent);

        using var folder = ResultFolder.Empty();
        folder.Write("kernel-selftests.json", """{"kernel-selftests.net.make_fail": [1]}""");
        folder.Write("leaking-addresses.json", """{"leaking-addresses.dmesg.ffff0000": [1], "leaking-addresses.dmesg.RIP": [1]}""");
        folder.Write("softirq.json", """{"softirq.TIMER": [100, 150, 400]}""");
        folder.Write("perf-stat.json", """{"perf-stat.total.cycles": [10, 20, 40]}""");

        var withLkp = await Extractor(new ExtractionOptions { LkpSrc = lkp }).ExtractAsync(folder.Path, job: null, Cancel);
        var withDefaults = await Extractor().ExtractAsync(folder.Path, job: null, Cancel);

        // lkp's own patterns: make_fail (no ".fail" for the generic pattern), and the lookahead that spares RIP.
        Assert.Equal(["kernel-selftests.net.make_fail", "leaking-addresses.dmesg.ffff0000"], withLkp.Errids);
        Assert.Empty(withDefaults.Errids);
        Assert.Equal(300, withLkp.Stats["softirq.TIMER"]!.GetValue<long>());          // event counter: 400 - 100
        Assert.Equal(70, withLkp.Stats["perf-stat.total.cycles"]!.GetValue<long>());  // independent counter: 10 + 20 + 40
        Assert.Empty(withLkp.Problems);
    }
}
