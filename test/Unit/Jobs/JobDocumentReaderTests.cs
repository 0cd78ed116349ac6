using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Api.Jobs;
using Xunit;

namespace CompassCi.Tests.Unit.Jobs;

public class JobDocumentReaderTests
{
    private const string Yaml = "application/yaml";

    /// <summary>
    /// Documents per file in lkp-tests' jobs directory. Counted by hand, not by a parser: <c>#---</c> is a
    /// comment, and a leading <c>---</c> (fio-basic-openeuler) starts the first document rather than a second.
    /// </summary>
    private static readonly Dictionary<string, int> LkpDocumentCounts = new(StringComparer.Ordinal)
    {
        ["boot.yaml"] = 1,
        ["borrow-1h.yaml"] = 1,
        ["build-pkg.yaml"] = 1,
        ["dbench.yaml"] = 2,
        ["ebizzy.yaml"] = 1,
        ["fio-basic-openeuler.yaml"] = 1,
        ["fsmark-1hdd.yaml"] = 1,
        ["hackbench.yaml"] = 1,
        ["host-info.yaml"] = 1,
        ["iperf.yaml"] = 1,
        ["kbuild.yaml"] = 2,
        ["lmbench3.yaml"] = 2,
        ["ltp-syscalls.yaml"] = 1,
        ["netperf-runtime.yaml"] = 3,
        ["pgbench.yaml"] = 1,
        ["redis.yaml"] = 1,
        ["stream.yaml"] = 1,
        ["sysbench-cpu.yaml"] = 1,
        ["unixbench.yaml"] = 2,
        ["will-it-scale.yaml"] = 2,
    };

    public static TheoryData<string, int> LkpJobFiles => new(LkpDocumentCounts.Select(f => (f.Key, f.Value)));

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

    /// <summary>lkp-tests' job files, which sit beside the repository in shared/data.</summary>
    private static string LkpJobsDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CompassCi.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var jobs = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", "lkp-tests", "jobs"));
        Assert.True(Directory.Exists(jobs), $"lkp-tests job files are expected in {jobs}");
        return jobs;
    }

    /// <summary>An lkp job file as lkp-tests' submit would send it: with the account from the submitter's defaults.</summary>
    private static JobDocumentResult ReadLkpJob(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(LkpJobsDirectory(), file));
        byte[] body = [.. bytes, .. "\nmy_account: tester\n"u8];
        return JobDocumentReader.Read(body, Yaml);
    }

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
            custom: !ruby/sym 9
            """);

        Assert.Equal("5", job["single"]!.GetValue<string>());
        Assert.Equal("true", job["double"]!.GetValue<string>());
        Assert.Equal(string.Empty, job["empty_quoted"]!.GetValue<string>());
        Assert.Equal("5", job["tagged"]!.GetValue<string>());
        Assert.Equal("7", job["bare_tag"]!.GetValue<string>());
        Assert.Equal(8L, job["tagged_int"]!.GetValue<long>());
        Assert.Equal("42\n", job["literal"]!.GetValue<string>());
        Assert.Equal(9L, job["custom"]!.GetValue<long>());
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
    public void EveryLkpJobFileIsCovered()
    {
        var files = Directory.GetFiles(LkpJobsDirectory(), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(LkpDocumentCounts.Keys.Order(StringComparer.Ordinal), files);
    }

    [Theory]
    [MemberData(nameof(LkpJobFiles))]
    public void LkpJobFilesParseOrAreRefusedAsSeveralJobs(string file, int documents)
    {
        var result = ReadLkpJob(file);

        if (documents == 1)
        {
            Assert.Empty(result.Errors);
            Assert.NotNull(result.Document);
            Assert.Equal(JsonValueKind.String, Kind(result.Document["suite"]));
            Assert.Equal("tester", result.Document["my_account"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal(
                $"one job per request; this body has {documents} YAML documents (matrix expansion is done by the client)",
                SingleError(result, "body"));
        }
    }

    [Fact]
    public void IperfKeepsRoleKeysAsPlainKeys()
    {
        var job = Assert.IsType<JsonObject>(ReadLkpJob("iperf.yaml").Document);

        Assert.Equal(["suite", "category", "runtime", "cluster", "if role server", "if role client", "my_account"], job.Select(p => p.Key));
        Assert.Equal("""{"iperf-server":null}""", job["if role server"]!.ToJsonString());
        Assert.Equal("""{"iperf":{"protocol":["tcp","udp"]}}""", job["if role client"]!.ToJsonString());
        Assert.Equal("300s", job["runtime"]!.GetValue<string>());
    }

    [Fact]
    public void LkpJobFilesKeepTheirValues()
    {
        var borrow = Assert.IsType<JsonObject>(ReadLkpJob("borrow-1h.yaml").Document);
        Assert.StartsWith("<%= File.read(", borrow["ssh_pub_key"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(borrow["sshd"]);
        Assert.True(borrow.ContainsKey("sshd"));

        var hostInfo = Assert.IsType<JsonObject>(ReadLkpJob("host-info.yaml").Document);
        Assert.Equal("host-info", hostInfo["suite"]!.GetValue<string>());
        Assert.False(hostInfo["is_send_mail"]!.GetValue<bool>());

        var fio = Assert.IsType<JsonObject>(ReadLkpJob("fio-basic-openeuler.yaml").Document);
        Assert.Equal(60L, fio["runtime"]!.GetValue<long>());
        Assert.Equal("no", fio["raw_disk"]!.GetValue<string>());
        Assert.Equal(7, fio["fio-setup-basic"]!["bs"]!.AsArray().Count);

        var fsmark = Assert.IsType<JsonObject>(ReadLkpJob("fsmark-1hdd.yaml").Document);
        Assert.Equal("""["nfsv4",null]""", fsmark["fs2"]!.ToJsonString());

        var pgbench = Assert.IsType<JsonObject>(ReadLkpJob("pgbench.yaml").Document);
        Assert.Equal("on", pgbench["pgbench-setup"]!["wal_compression"]!.GetValue<string>());
        Assert.Equal(0.1, pgbench["pgbench-setup"]!["checkpoint_completion_target"]!.GetValue<double>());

        var redis = Assert.IsType<JsonObject>(ReadLkpJob("redis.yaml").Document);
        Assert.Equal("set,get", redis["if role client"]!["redis"]!["test"]!.GetValue<string>());
    }
}
