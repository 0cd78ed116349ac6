using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CompassCi.Api.Jobs;
using CompassCi.Tests.Fixtures;
using Xunit;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CompassCi.Tests.Unit.Jobs;

public class JobDocumentReaderTests
{
    private const string Yaml = "application/yaml";

    /// <summary>
    /// Documents per fixture job file (test/Fixtures/lkp/jobs). Counted by hand, not by a parser: <c>#---</c> is a
    /// comment, and a leading <c>---</c> (blockmix) starts the first document rather than a second.
    /// </summary>
    private static readonly Dictionary<string, int> FixtureDocumentCounts = new(StringComparer.Ordinal)
    {
        ["blockmix.yaml"] = 1,
        ["cpuloop-2x2.yaml"] = 1,
        ["diskchurn.yaml"] = 2,
        ["filechurn.yaml"] = 1,
        ["hackbench-pair.yaml"] = 1,
        ["kvcache.yaml"] = 1,
        ["lease-2h.yaml"] = 1,
        ["memspin.yaml"] = 1,
        ["pingpong.yaml"] = 1,
        ["relay-stream.yaml"] = 3,
        ["sysprobe.yaml"] = 1,
        ["walbench.yaml"] = 1,
    };

    public static TheoryData<string, int> FixtureJobFiles => new(FixtureDocumentCounts.Select(f => (f.Key, f.Value)));

    private static JobDocumentResult Read(string body, string? contentType) => JobDocumentReader.Read(Encoding.UTF8.GetBytes(body), contentType);

    private static JsonObject Valid(string body, string? contentType)
    {
        var result = Read(body, contentType);
        Assert.Empty(result.Errors);
        return Assert.IsType<JsonObject>(result.Document);
    }

    private static string SingleError(JobDocumentResult result, string field)
    {
        Assert.Null(result.Document);
        Assert.Equal([field], result.Errors.Keys);
        return Assert.Single(result.Errors[field]);
    }

    /// <summary>Parses YAML that is not a whole job, by adding what every job needs.</summary>
    private static JsonObject YamlJob(string yaml) => Valid("suite: t\nmy_account: a\n" + yaml, Yaml);

    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    /// <summary>A job file as lkp-tests' submit would send it: with the account from the submitter's defaults.</summary>
    private static JobDocumentResult ReadLkpJob(string path)
    {
        var bytes = File.ReadAllBytes(path);
        byte[] body = [.. bytes, .. "\nmy_account: tester\n"u8];
        return JobDocumentReader.Read(body, Yaml);
    }

    private static JobDocumentResult ReadFixtureJob(string file) => ReadLkpJob(LkpFixtures.JobPath(file));

    [Fact]
    public void JsonKeepsEveryFieldInOrder()
    {
        var job = Valid("""{"suite": "ebizzy", "zeta": 1, "my_account": "alice", "alpha": {"nested": [1, "two", null]}, "#! jobs/ebizzy.yaml": null}""", "application/json");

        Assert.Equal(["suite", "zeta", "my_account", "alpha", "#! jobs/ebizzy.yaml"], job.Select(p => p.Key));
        Assert.Equal("""{"nested":[1,"two",null]}""", job["alpha"]!.ToJsonString());
    }

    [Fact]
    public void FieldsTheServerOwnsAreDropped()
    {
        var job = Valid(
            """{"id": "crystal.1", "suite": "s", "job_stage": "finish", "my_account": "a", "job_health": "success", "job_state": "finished", "stats": {"x": 1}, "errid": ["e"], "testbox": "vm-2p8g--1"}""",
            null);

        Assert.Equal(["suite", "my_account", "testbox"], job.Select(p => p.Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/json")]
    [InlineData("Application/JSON")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;charset=\"UTF-8\"")]
    [InlineData("text/json")]
    [InlineData("application/vnd.compass-ci.job+json")]
    public void JsonContentTypesReadJson(string? contentType)
    {
        Assert.Equal("s", Valid("""{"suite": "s", "my_account": "a"}""", contentType)["suite"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("application/yaml")]
    [InlineData("application/x-yaml")]
    [InlineData("text/yaml")]
    [InlineData("text/x-yaml")]
    [InlineData("text/yaml; charset=utf-8")]
    public void YamlContentTypesReadYaml(string contentType)
    {
        Assert.Equal("s", Valid("suite: s\nmy_account: a\n", contentType)["suite"]!.GetValue<string>());
    }

    [Fact]
    public void YamlSentAsJsonIsInvalidJson()
    {
        var message = SingleError(Read("suite: s\nmy_account: a\n", "application/json"), "body");

        Assert.StartsWith("invalid JSON", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/+json")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/yaml; charset=utf-16")]
    public void OtherContentTypesAreAnErrorOnContentType(string contentType)
    {
        SingleError(Read("""{"suite": "s", "my_account": "a"}""", contentType), "content_type");
    }

    [Fact]
    public void InvalidJsonNamesLineAndPosition()
    {
        var message = SingleError(Read("{\"suite\": \"s\",\n \"my_account\": }", null), "body");

        Assert.StartsWith("invalid JSON at line 2, byte 16: ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateJsonKeysAreAnError()
    {
        var message = SingleError(Read("""{"suite": "s", "suite": "t", "my_account": "a"}""", null), "body");

        Assert.Contains("suite", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n\t")]
    [InlineData("\uFEFF")]
    public void AnEmptyBodyIsAnError(string body)
    {
        Assert.StartsWith("is empty", SingleError(Read(body, null), "body"), StringComparison.Ordinal);
        Assert.StartsWith("is empty", SingleError(Read(body, Yaml), "body"), StringComparison.Ordinal);
    }

    [Fact]
    public void AByteOrderMarkIsSkipped()
    {
        Valid("\uFEFF{\"suite\": \"s\", \"my_account\": \"a\"}", null);
        Valid("\uFEFFsuite: s\nmy_account: a\n", Yaml);
    }

    [Theory]
    [InlineData("[1, 2]", null)]
    [InlineData("\"job\"", null)]
    [InlineData("null", null)]
    [InlineData("42", null)]
    [InlineData("- suite: s\n", Yaml)]
    [InlineData("just a string\n", Yaml)]
    [InlineData("---\n", Yaml)]
    public void TheRootMustBeAnObject(string body, string? contentType)
    {
        Assert.StartsWith("must be one job", SingleError(Read(body, contentType), "body"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"my_account": "a"}""", "suite", "is required")]
    [InlineData("""{"suite": null, "my_account": "a"}""", "suite", "is required")]
    [InlineData("""{"suite": 5, "my_account": "a"}""", "suite", "must be a string")]
    [InlineData("""{"suite": ["s"], "my_account": "a"}""", "suite", "must be a string")]
    [InlineData("""{"suite": "", "my_account": "a"}""", "suite", "must not be empty")]
    [InlineData("""{"suite": "  ", "my_account": "a"}""", "suite", "must not be empty")]
    [InlineData("""{"suite": "s"}""", "my_account", "is required")]
    [InlineData("""{"suite": "s", "my_account": false}""", "my_account", "must be a string")]
    public void SuiteAndMyAccountAreRequiredStrings(string json, string field, string expected)
    {
        Assert.StartsWith(expected, SingleError(Read(json, null), field), StringComparison.Ordinal);
    }

    [Fact]
    public void BothMissingRequiredFieldsAreReported()
    {
        var result = Read("category: benchmark\n", Yaml);

        Assert.Null(result.Document);
        Assert.Equal(["suite", "my_account"], result.Errors.Keys);
    }

    [Fact]
    public void YamlPlainScalarsAreTypedByTheCoreSchema()
    {
        var job = YamlJob("""
            empty:
            tilde: ~
            null_word: null
            yes_true: true
            title_false: False
            yes_word: yes
            no_word: no
            on_word: on
            int: 42
            negative: -7
            big: 12345678901234567890
            hex: 0x1F
            octal: 0o17
            leading_zero: 010
            float: 1.5
            exponent: 1e3
            infinity: .inf
            not_a_number: .nan
            percent: 100%
            duration: 10m
            size: 60GB
            version: 1.2.3
            date: 2024-01-02
            """);

        Assert.Null(job["empty"]);
        Assert.True(job.ContainsKey("empty"));
        Assert.Null(job["tilde"]);
        Assert.Null(job["null_word"]);
        Assert.True(job["yes_true"]!.GetValue<bool>());
        Assert.False(job["title_false"]!.GetValue<bool>());
        Assert.Equal("yes", job["yes_word"]!.GetValue<string>());
        Assert.Equal("no", job["no_word"]!.GetValue<string>());
        Assert.Equal("on", job["on_word"]!.GetValue<string>());
        Assert.Equal(42L, job["int"]!.GetValue<long>());
        Assert.Equal(-7L, job["negative"]!.GetValue<long>());
        Assert.Equal("12345678901234567890", job["big"]!.GetValue<string>());
        Assert.Equal(31L, job["hex"]!.GetValue<long>());
        Assert.Equal(15L, job["octal"]!.GetValue<long>());
        Assert.Equal(10L, job["leading_zero"]!.GetValue<long>());
        Assert.Equal(1.5, job["float"]!.GetValue<double>());
        Assert.Equal(1000.0, job["exponent"]!.GetValue<double>());
        Assert.Equal(".inf", job["infinity"]!.GetValue<string>());
        Assert.Equal(".nan", job["not_a_number"]!.GetValue<string>());
        Assert.Equal("100%", job["percent"]!.GetValue<string>());
        Assert.Equal("10m", job["duration"]!.GetValue<string>());
        Assert.Equal("60GB", job["size"]!.GetValue<string>());
        Assert.Equal("1.2.3", job["version"]!.GetValue<string>());
        Assert.Equal("2024-01-02", job["date"]!.GetValue<string>());
    }

    [Fact]
    public void QuotedAndStrTaggedYamlScalarsStayStrings()
    {
        var job = YamlJob("""
            single: '5'
            double: "true"
            empty_quoted: ""
            tagged: !!str 5
            bare_tag: ! 7
            tagged_int: !!int "8"
            literal: |
              42
            after: x
            """);

        Assert.Equal("5", job["single"]!.GetValue<string>());
        Assert.Equal("true", job["double"]!.GetValue<string>());
        Assert.Equal(string.Empty, job["empty_quoted"]!.GetValue<string>());
        Assert.Equal("5", job["tagged"]!.GetValue<string>());
        Assert.Equal("7", job["bare_tag"]!.GetValue<string>());
        Assert.Equal(8L, job["tagged_int"]!.GetValue<long>());
        Assert.Equal("42\n", job["literal"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("custom: !ruby/sym 9", "!ruby/sym")]
    [InlineData("x: !!python/object/apply:os.system [reboot]", "tag:yaml.org,2002:python/object/apply:os.system")]
    [InlineData("x: !!binary aGk=", "tag:yaml.org,2002:binary")]
    public void TagsOutsideTheCoreSchemaAreRefusedNamingTheTag(string line, string tag)
    {
        var result = JobDocumentReader.Read(System.Text.Encoding.UTF8.GetBytes($"suite: a\nmy_account: b\n{line}\n"), "application/yaml");

        Assert.Null(result.Document);
        Assert.Contains($"tag {tag} is not supported", result.Errors["body"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x: *a\ny: &a 1")]
    [InlineData("~: 1")]
    [InlineData("null: 1")]
    public void ForwardAliasesAndNullKeysAreRefused(string lines)
    {
        var result = JobDocumentReader.Read(System.Text.Encoding.UTF8.GetBytes($"suite: a\nmy_account: b\n{lines}\n"), "application/yaml");

        Assert.Null(result.Document);
        Assert.True(result.Errors.ContainsKey("body"));
    }

    [Fact]
    public void YamlCollectionsBecomeObjectsAndArrays()
    {
        var job = YamlJob("""
            fs:
            - ext4
            - 
            - 3
            fsmark:
              filesize: 16MB
              sync_method: [NoSync, fsyncBeforeClose]
            flow: {a: 1, b: [x, y]}
            """);

        Assert.Equal("""["ext4",null,3]""", job["fs"]!.ToJsonString());
        Assert.Equal("""{"filesize":"16MB","sync_method":["NoSync","fsyncBeforeClose"]}""", job["fsmark"]!.ToJsonString());
        Assert.Equal("""{"a":1,"b":["x","y"]}""", job["flow"]!.ToJsonString());
    }

    [Fact]
    public void YamlKeysAreStrings()
    {
        var job = YamlJob("""
            1: one
            true: yes
            if role server:
              iperf-server:
            "#! jobs/x.yaml":
            """);

        Assert.Equal("one", job["1"]!.GetValue<string>());
        Assert.Equal("yes", job["true"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.Object, Kind(job["if role server"]));
        Assert.True(job.ContainsKey("#! jobs/x.yaml"));
    }

    [Fact]
    public void YamlAnchorsAndAliasesAreExpanded()
    {
        var job = YamlJob("""
            base: &base
              nr_threads: 2
              fs: [ext4]
            copy: *base
            name: &n vm-2p8g
            again: *n
            """);

        Assert.Equal(job["base"]!.ToJsonString(), job["copy"]!.ToJsonString());
        Assert.Equal("""{"nr_threads":2,"fs":["ext4"]}""", job["copy"]!.ToJsonString());
        Assert.Equal("vm-2p8g", job["again"]!.GetValue<string>());

        // Expanded copies, not shared nodes: changing one leaves the other alone.
        job["copy"]!["nr_threads"] = 9;
        Assert.Equal(2L, job["base"]!["nr_threads"]!.GetValue<long>());
    }

    [Fact]
    public void ErbSnippetsStayStrings()
    {
        var job = YamlJob("""
            ssh_pub_key: <%= File.read("#{ENV['HOME']}/.ssh/id_rsa.pub").chomp rescue nil %>
            runtime: <%= 60 * 5 %>
            """);

        Assert.Equal("""<%= File.read("#{ENV['HOME']}/.ssh/id_rsa.pub").chomp rescue nil %>""", job["ssh_pub_key"]!.GetValue<string>());
        Assert.Equal("<%= 60 * 5 %>", job["runtime"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("suite: a\nmy_account: b\n---\nsuite: c\n", 2)]
    [InlineData("---\nsuite: a\n---\nsuite: b\n---\nsuite: c\n", 3)]
    [InlineData("suite: a\n---\n", 2)]
    public void MoreThanOneYamlDocumentIsRefused(string yaml, int documents)
    {
        var message = SingleError(Read(yaml, Yaml), "body");

        Assert.Equal($"one job per request; this body has {documents} YAML documents (matrix expansion is done by the client)", message);
    }

    [Fact]
    public void ALeadingDocumentMarkerIsOneDocument()
    {
        Valid("---\nsuite: a\nmy_account: b\n", Yaml);
        Valid("suite: a\nmy_account: b\n...\n", Yaml);
    }

    [Theory]
    [InlineData("suite: a\n  my_account: b: c\n", 2, 13)]
    [InlineData("suite: a\nmy_account: 'b\n", 2, 13)]
    [InlineData("suite: a\nmy_account: b\nx: @y\n", 3, 4)]
    [InlineData("suite: a\nmy_account: b\nx: {y\n", 4, 1)]
    public void InvalidYamlNamesLineAndColumn(string yaml, int line, int column)
    {
        var message = SingleError(Read(yaml, Yaml), "body");

        Assert.StartsWith($"invalid YAML at line {line}, column {column}: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void YamlThatTheParserChokesOnIsStillInvalidYaml()
    {
        // YamlDotNet throws InvalidOperationException here rather than a YamlException.
        var message = SingleError(Read("suite: [a\nmy_account: b\n", Yaml), "body");

        Assert.StartsWith("invalid YAML after line 1, column 8: ", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("suite: a\nmy_account: b\nsuite: c\n")]
    [InlineData("suite: a\nmy_account: b\n1: x\n\"1\": y\n")]
    public void DuplicateYamlKeysAreAnError(string yaml)
    {
        var message = SingleError(Read(yaml, Yaml), "body");

        Assert.StartsWith("invalid YAML at line", message, StringComparison.Ordinal);
        Assert.Contains("uplicate key", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComplexYamlKeysAreAnError()
    {
        var message = SingleError(Read("suite: a\nmy_account: b\n? [1, 2]\n: x\n", Yaml), "body");

        Assert.Contains("keys must be scalars", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownAliasIsAnError()
    {
        Assert.StartsWith("invalid YAML", SingleError(Read("suite: *nope\nmy_account: b\n", Yaml), "body"), StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNestingIsRefusedWithoutOverflowingTheStack()
    {
        var deep = "suite: s\nmy_account: a\nx: " + new string('[', 200_000) + new string(']', 200_000) + "\n";

        Assert.Contains("nested deeper than 64", SingleError(Read(deep, Yaml), "body"), StringComparison.Ordinal);
        Assert.Contains("depth", SingleError(Read("{\"x\": " + new string('[', 200_000) + "}", null), "body"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SixtyFourLevelsOfNestingAreFine()
    {
        var job = YamlJob("x: " + new string('[', 63) + new string(']', 63) + "\n");

        Assert.Equal(JsonValueKind.Array, Kind(job["x"]));
    }

    [Fact]
    public void ASelfReferencingAliasIsAnError()
    {
        Assert.Contains("nested deeper than 64", SingleError(Read("suite: s\nmy_account: a\nx: &a [*a]\n", Yaml), "body"), StringComparison.Ordinal);
    }

    [Fact]
    public void AliasBombsAreRefused()
    {
        var yaml = new StringBuilder("suite: s\nmy_account: a\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var level = 1; level <= 9; level++)
        {
            yaml.Append($"l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]\n");
        }

        Assert.Contains("more than 100000 values", SingleError(Read(yaml.ToString(), Yaml), "body"), StringComparison.Ordinal);
    }

    [Fact]
    public void YamlThatIsNotUtf8IsAnError()
    {
        byte[] latin1 = [.. "suite: caf"u8, 0xE9, .. "\nmy_account: a\n"u8];

        Assert.Equal("is not valid UTF-8", SingleError(JobDocumentReader.Read(latin1, Yaml), "body"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void YamlWithNoDocumentIsEmpty(string yaml)
    {
        Assert.StartsWith("is empty", SingleError(Read(yaml, Yaml), "body"), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryFixtureJobFileIsCovered()
    {
        var files = Directory.GetFiles(Path.Combine(LkpFixtures.Root, "jobs"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(FixtureDocumentCounts.Keys.Order(StringComparer.Ordinal), files);
    }

    [Theory]
    [MemberData(nameof(FixtureJobFiles))]
    public void FixtureJobFilesParseOrAreRefusedAsSeveralJobs(string file, int documents)
    {
        var result = ReadFixtureJob(file);

        if (documents == 1)
        {
            Assert.Empty(result.Errors);
            Assert.NotNull(result.Document);
            Assert.Equal(JsonValueKind.String, Kind(result.Document["suite"]));
            Assert.Equal("tester", result.Document["my_account"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal(SeveralDocuments(documents), SingleError(result, "body"));
        }
    }

    [Fact]
    public void PingpongKeepsRoleKeysAsPlainKeys()
    {
        var job = Assert.IsType<JsonObject>(ReadFixtureJob("pingpong.yaml").Document);

        Assert.Equal(["suite", "category", "runtime", "cluster", "if role server", "if role client", "my_account"], job.Select(p => p.Key));
        Assert.Equal("""{"pingpong-server":null}""", job["if role server"]!.ToJsonString());
        Assert.Equal("""{"pingpong":{"transport":["tcp","sctp"]}}""", job["if role client"]!.ToJsonString());
        Assert.Equal("240s", job["runtime"]!.GetValue<string>());
        Assert.Equal("cs-localhost", job["cluster"]!.GetValue<string>());
    }

    [Fact]
    public void FixtureJobFilesKeepTheirValues()
    {
        var lease = Assert.IsType<JsonObject>(ReadFixtureJob("lease-2h.yaml").Document);
        Assert.Equal("""<%= File.read(File.join(Dir.home, ".ssh", "id_ed25519.pub")).strip rescue nil %>""", lease["authorized_key"]!.GetValue<string>());
        Assert.Null(lease["sshd"]);
        Assert.True(lease.ContainsKey("sshd"));
        Assert.Equal("2h", lease["runtime"]!.GetValue<string>());

        var sysprobe = Assert.IsType<JsonObject>(ReadFixtureJob("sysprobe.yaml").Document);
        Assert.Equal("sysprobe", sysprobe["suite"]!.GetValue<string>());
        Assert.False(sysprobe["notify_owner"]!.GetValue<bool>());
        Assert.True(sysprobe.ContainsKey("sysprobe"));

        var memspin = Assert.IsType<JsonObject>(ReadFixtureJob("memspin.yaml").Document);
        Assert.Equal("150%", memspin["nr_threads"]!.GetValue<string>());
        Assert.Equal("""{"duration":"15s","stride":64}""", memspin["memspin"]!.ToJsonString());

        var blockmix = Assert.IsType<JsonObject>(ReadFixtureJob("blockmix.yaml").Document);
        Assert.Equal(120L, blockmix["runtime"]!.GetValue<long>());
        Assert.Equal("no", blockmix["trim_first"]!.GetValue<string>());
        Assert.True(blockmix["blockmix-setup"]!["unbuffered"]!.GetValue<bool>());
        Assert.Equal(5, blockmix["blockmix-setup"]!["block_size"]!.AsArray().Count);
        Assert.Equal("""{"fs_type":["ext4"]}""", blockmix["fs1"]!.ToJsonString());

        var filechurn = Assert.IsType<JsonObject>(ReadFixtureJob("filechurn.yaml").Document);
        Assert.Equal("""["nfsv3",null]""", filechurn["export"]!.ToJsonString());
        Assert.Equal("""["ext4","xfs","f2fs"]""", filechurn["fs"]!.ToJsonString());

        var walbench = Assert.IsType<JsonObject>(ReadFixtureJob("walbench.yaml").Document);
        Assert.Equal("on", walbench["walbench-setup"]!["full_page_writes"]!.GetValue<string>());
        Assert.Equal("off", walbench["walbench-setup"]!["group_commit"]!.GetValue<string>());
        Assert.Equal(0.25, walbench["walbench-setup"]!["flush_target"]!.GetValue<double>());
        Assert.False(walbench["walbench"]!["readonly"]!.GetValue<bool>());
        Assert.Null(walbench["walbench"]!["notes"]);

        var kvcache = Assert.IsType<JsonObject>(ReadFixtureJob("kvcache.yaml").Document);
        Assert.Equal("put,scan", kvcache["if role client"]!["kvcache"]!["ops"]!.GetValue<string>());
        Assert.Equal(7400L, kvcache["if role server"]!["kvcache-server"]!["port"]!.GetValue<long>());
    }

    /// <summary>
    /// Every job file of the real lkp-tests tree (<c>$LKP_TESTS/jobs</c>), sent as it is, is one job or is refused
    /// for the reason the file itself shows. The expectation comes from the file's YAML events, not from the reader.
    /// lkp's submit expands <c>&lt;&lt; : file</c> includes, <c>{{ }}</c> expressions and ERB before it parses, so
    /// the unexpanded files include fragments and templates that are not one job as they stand.
    /// </summary>
    [Fact]
    public void EveryRealLkpJobFileIsOneJobOrIsRefusedForTheReasonItShows()
    {
        var jobs = Path.Combine(LkpFixtures.RealTree(), "jobs");
        var files = Directory.GetFiles(jobs, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);

        var wrong = files
            .Select(path => (File: Path.GetRelativePath(jobs, path), Problem: RealJobProblem(path)))
            .Where(f => f.Problem is not null)
            .Select(f => $"{f.File}: {f.Problem}")
            .ToList();

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {files.Count} lkp-tests job files were not read as expected:\n{string.Join('\n', wrong)}");
    }

    /// <summary>What is wrong with how the reader took the real job file at <paramref name="path"/>; null if nothing.</summary>
    private static string? RealJobProblem(string path)
    {
        var body = File.ReadAllText(path) + "\nmy_account: tester\n";
        var result = ReadLkpJob(path);
        var shape = YamlShape.Of(body);
        var expressions = ExpressionLines(body);
        var errorLine = InvalidYamlLine(result);
        string? Expect(bool met, string expected) => met ? null : $"expected {expected}; the reader said {Describe(result)}";
        bool InExpression(int? line) => expressions.Any(e => line >= e.First && line <= e.Last);

        if (shape.ErrorLine is { } parseErrorLine)
        {
            // Only lkp's {{ }} expressions, which its submit turns into literal blocks before parsing, may break the YAML.
            return InExpression(parseErrorLine)
                ? Expect(InExpression(errorLine), $"invalid YAML within a {{{{ }}}} expression (YamlDotNet stops at line {parseErrorLine})")
                : $"YAML error outside any {{{{ }}}} expression, at line {parseErrorLine}: {shape.Error}";
        }

        if (shape.Documents > 1)
        {
            return Expect(BodyError(result) == SeveralDocuments(shape.Documents), $"refusal as {shape.Documents} YAML documents");
        }

        if (expressions.Count > 0)
        {
            // {{ fs == 'ext4' ? 'a' : 'b' }} reads as a flow mapping used as a key.
            return Expect(InExpression(errorLine) && BodyError(result)!.Contains("keys must be scalars", StringComparison.Ordinal), "invalid YAML (a mapping as a key) within a {{ }} expression");
        }

        if (shape.Keys.GroupBy(k => k, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { Key: var repeated })
        {
            // Two "<< : file" includes in one file are the same key twice until lkp's submit expands them.
            return Expect(errorLine is not null && BodyError(result)!.Contains($"uplicate key {repeated}", StringComparison.Ordinal), $"invalid YAML naming the duplicate key {repeated}");
        }

        if (!shape.Keys.Contains("suite"))
        {
            // A fragment lkp includes into other jobs ("cannot run standalone"), a batch list, or an include of a job.
            return Expect(result.Document is null && result.Errors.Keys.SequenceEqual(["suite"]) && result.Errors["suite"].SequenceEqual(["is required"]), "only suite: is required");
        }

        return Expect(
            result.Document is { } job
                && job.Select(p => p.Key).SequenceEqual(shape.Keys.Except(JobDocumentReader.ServerOwnedFields, StringComparer.Ordinal))
                && Kind(job["suite"]) == JsonValueKind.String
                && job["my_account"]!.GetValue<string>() == "tester",
            $"one job with the file's keys {string.Join(", ", shape.Keys)}");
    }

    private static string? BodyError(JobDocumentResult result) =>
        result.Document is null && result.Errors.TryGetValue("body", out var messages) ? Assert.Single(messages) : null;

    /// <summary>The line an "invalid YAML at line N" (or "after line N") refusal names, if it is one.</summary>
    private static int? InvalidYamlLine(JobDocumentResult result) =>
        BodyError(result) is { } message && Regex.Match(message, @"^invalid YAML (?:at|after) line (\d+),") is { Success: true } match
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;

    private static string Describe(JobDocumentResult result) =>
        result.Document is not null ? "one job" : string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));

    /// <summary>The first and last line of each lkp <c>{{ … }}</c> expression in <paramref name="text"/>.</summary>
    private static List<(int First, int Last)> ExpressionLines(string text)
    {
        static int LineAt(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;
        return [.. Regex.Matches(text, @"\{\{.*?\}\}", RegexOptions.Singleline).Select(m => (LineAt(text, m.Index), LineAt(text, m.Index + m.Length - 1)))];
    }

    private static string SeveralDocuments(int documents) =>
        $"one job per request; this body has {documents} YAML documents (matrix expansion is done by the client)";

    /// <summary>A YAML text as YamlDotNet's parser sees it: its documents, the keys of the first one's root mapping, or where it fails.</summary>
    private sealed record YamlShape(int Documents, IReadOnlyList<string> Keys, int? ErrorLine, string? Error)
    {
        public static YamlShape Of(string yaml)
        {
            var parser = new Parser(new StringReader(yaml));
            var documents = 0;
            var depth = 0;
            var rootIsMapping = false;
            var nextIsKey = true;
            var lastLine = 1;
            List<string> keys = [];
            try
            {
                while (parser.MoveNext())
                {
                    var current = parser.Current!;
                    lastLine = (int)current.End.Line;
                    if (current is DocumentStart)
                    {
                        documents++;
                        continue;
                    }

                    var startsNode = current is Scalar or AnchorAlias or MappingStart or SequenceStart;
                    if (documents == 1 && startsNode && depth == 0)
                    {
                        rootIsMapping = current is MappingStart;
                    }
                    else if (documents == 1 && startsNode && depth == 1 && rootIsMapping)
                    {
                        if (nextIsKey)
                        {
                            keys.Add(current is Scalar { Value: var key } ? key : "(not a scalar)");
                        }

                        nextIsKey = !nextIsKey;
                    }

                    depth += current switch
                    {
                        MappingStart or SequenceStart => 1,
                        MappingEnd or SequenceEnd => -1,
                        _ => 0,
                    };
                }
            }
            catch (YamlException e)
            {
                return new YamlShape(documents, keys, (int)e.Start.Line, e.Message);
            }
            catch (InvalidOperationException e)
            {
                // YamlDotNet's scanner throws this on some broken input, such as an unclosed [ followed by a key.
                return new YamlShape(documents, keys, lastLine, e.Message);
            }

            return new YamlShape(documents, keys, null, null);
        }
    }
}
