using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Jobs;
using CompassCi.Grains.Submit;

namespace CompassCi.Tests.Unit.Jobs;

/// <summary>
/// The answers written without a tree must be what the tree gives, compared byte for byte: the consume answer is
/// <see cref="JobJson.Render"/> over the document without its secrets, then the secrets (unless missing or null) and the
/// job secret; the submit answer is <see cref="JobEndpoints.Render"/>'s; both serialized as a JSON result did.
/// </summary>
public sealed class JobJsonWriterTests
{
    private const string Secret = "s3cr3t-for-this-job";

    /// <summary>The API's JSON options (web defaults, snake_case names), as a JSON result used them.</summary>
    private static readonly JsonSerializerOptions AsJsonResult = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static TheoryData<string> Documents => new()
    {
        """{"suite":"bench","tbox_group":"vm-2p8g","payload":"xxxx","memory":"4G"}""",
        """{"secrets":{"token":"abc","n":1},"suite":"s","nested":{"a":[1,2.50,-3e2,{"b":null}],"c":true}}""",
        """{"suite":"s","id":"999","job_stage":"finish","testbox":"someone-else","secrets":null,"z":false}""",
        """{"job_secret":"forged","suite":"s","secrets":{"k":"v"}}""",
        """{"name":"caf\u00e9 <b>&amp;</b> 'quoted' \"x\"","emoji":"\ud83d\ude00","esc\u0061ped":"\n\t"}""",
        """{"suite":"s","lkp_vars":{"job_state":"forged"},"crash":"forged","abort":true}""",
        """{"suite":"s","warnings":["the submitter's own"],"memory":"1G"}""",
        """{"job\u005fstage":"forged","secr\u0065ts":{"k":"v"},"job_s\u0065cret":"forged"}""",
        """[1,2,3]""",
        """{}""",
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void The_answer_is_the_tree_s_byte_for_byte(string document)
    {
        foreach (var job in new[] { Pending(document), Held(document) })
        {
            Assert.Equal(Tree(job), Streamed(job));
        }
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void The_submit_answer_is_the_tree_s_byte_for_byte(string document)
    {
        foreach (var warnings in new[] { Array.Empty<string>(), ["no testbox serves this queue", "quota: 90 % used"] })
        {
            var job = Pending(document);
            var output = new ArrayBufferWriter<byte>();
            JobJsonWriter.WriteSubmitted(output, job, Parsed(document), warnings);
            var tree = JobEndpoints.Render(new SubmitOutcome(SubmitStatus.Created, [(job, Parsed(document))], new Dictionary<string, string[]>(), warnings));
            Assert.Equal(JsonSerializer.Serialize(tree, AsJsonResult), Encoding.UTF8.GetString(output.WrittenSpan));
        }
    }

    [Fact]
    public void The_submit_answer_leaves_the_parsed_document_as_it_was()
    {
        var document = Parsed("""{"suite":"s","secrets":{"k":"v"},"id":"1"}""");
        var before = document.ToJsonString();
        JobJsonWriter.WriteSubmitted(new ArrayBufferWriter<byte>(), Pending("{}"), document, ["w"]);
        Assert.Equal(before, document.ToJsonString());
    }

    private static JsonObject Parsed(string document) => JsonNode.Parse(document) as JsonObject ?? [];

    [Fact]
    public void The_answer_carries_the_secrets_and_the_job_secret_once_and_the_server_s_fields()
    {
        var json = JsonNode.Parse(Streamed(Held("""{"job_secret":"forged","secrets":{"k":"v"},"testbox":"other","suite":"s"}""")))!.AsObject();
        Assert.Equal(Secret, (string?)json["job_secret"]);
        Assert.Equal("v", (string?)json["secrets"]!["k"]);
        Assert.Equal("vm-2p8g--1", (string?)json["testbox"]);
        Assert.Equal("boot", (string?)json["job_stage"]);
        Assert.Equal("42", (string?)json["id"]);
        Assert.Single(Regex(Streamed(Held("""{"job_secret":"forged"}""")), "\"job_secret\""));
    }

    private static string[] Regex(string text, string pattern) =>
        [.. System.Text.RegularExpressions.Regex.Matches(text, pattern).Select(m => m.Value)];

    private static string Streamed(JobRecord job)
    {
        var output = new ArrayBufferWriter<byte>();
        JobJsonWriter.WriteForTestbox(output, job, Secret);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>What the consume answer was before the writer: the tree, secrets moved to the end, serialized as a JSON result.</summary>
    private static string Tree(JobRecord job)
    {
        var document = JsonNode.Parse(job.Document) as JsonObject ?? [];
        var secrets = document[JobJson.SecretsField];
        document.Remove(JobJson.SecretsField);
        var json = JobJson.Render(job, document);
        if (secrets is not null)
        {
            json[JobJson.SecretsField] = secrets;
        }

        json[JobJson.JobSecretField] = Secret;
        return JsonSerializer.Serialize(json, AsJsonResult);
    }

    private static JobRecord Pending(string document) => new()
    {
        Id = 42,
        SubmitTime = 1_796_223_402_769,
        Account = "acct1",
        Suite = "bench",
        TboxGroup = "vm-2p8g",
        QueueKey = "arch=x86_64,tbox_group=vm-2p8g,tbox_type=vm",
        Stage = "submit",
        Priority = 5,
        MemoryMb = 4096,
        Version = 1,
        Document = document,
    };

    private static JobRecord Held(string document) => Pending(document) with
    {
        Stage = "boot",
        Testbox = "vm-2p8g--1",
        Host = "vm-2p8g--1",
        LeaseId = "lease-1",
        BootTime = 1_796_223_500_000,
        Deadline = 1_796_223_900_000,
        Version = 2,
        Health = "ok",
        LkpVars = """{"job_state":"running","start_time":1796223500}""",
        NotedHealth = "success",
        RescheduledFrom = 41,
        Crash = new CrashReport("incomplete", "testbox went silent", false, new Dictionary<string, string> { ["reason"] = "heartbeat <lost>" }),
    };
}
