using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Telemetry;

/// <summary>A silo started with <c>CompassCi:LogFormat=json</c> (and the job grain's debug lines on).</summary>
public sealed class JsonLogSiloFixture(MariaDbFixture database) : SiloFixture(database)
{
    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["CompassCi__LogFormat"] = "json",
        ["Logging__LogLevel__CompassCi.Grains.Jobs.JobGrain"] = "Debug",
    };
}

/// <summary>
/// Structured logs on a real silo in the JSON console format: the consume's line and the job grain's lines carry the
/// job's id and the testbox as fields of their own (log scopes), so "where is job X" is one query.
/// </summary>
public sealed class StructuredLogTests(JsonLogSiloFixture fixture) : IClassFixture<JsonLogSiloFixture>
{
    private const string ConsumerCategory = "CompassCi.Grains.Dispatch.TestboxConsumer";
    private const string JobGrainCategory = "CompassCi.Grains.Jobs.JobGrain";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_consume_logs_one_hand_out_line_with_job_id_and_testbox_and_the_job_grain_lines_carry_job_id()
    {
        var group = "vm-log" + Guid.NewGuid().ToString("N")[..6];
        var testbox = $"{group}--1";
        var id = (await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = group }, Cancel))["id"]!.GetValue<string>();
        var taken = await fixture.Client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 5, cancellationToken: Cancel);
        Assert.Equal(id, taken!["id"]!.GetValue<string>());
        await fixture.Client.StageAsync(id, "running");

        // The console writes from a queue of its own: wait for the stage change's line, the last one this test causes.
        List<JsonObject> lines = [];
        Assert.True(await Eventually.HoldsAsync(
            () =>
            {
                lines = JsonLines(fixture.Silo.Log());
                return Task.FromResult(lines.Any(l => Category(l) == JobGrainCategory && Field(l, "job_id") == id && Text(l, "Message") == $"Job {id}: stage"));
            },
            TimeSpan.FromSeconds(10)), $"no job grain line of job {id} about its stage running:\n{fixture.Silo.Log()}");

        var handOut = Assert.Single(lines, l => Category(l) == ConsumerCategory && Field(l, "job_id") == id);
        Assert.Equal($"Job {id} handed to testbox {testbox}", Text(handOut, "Message"));
        Assert.Equal("Information", Text(handOut, "LogLevel"));
        Assert.Equal(testbox, Field(handOut, "testbox"));
        Assert.Equal(CompassCi.Grains.Hosts.HostName.Of(testbox, null), Field(handOut, "host"));
        Assert.EndsWith("Z", Text(handOut, "Timestamp"), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(Text(handOut, "Timestamp"), System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(5));

        // The grain's own messages name the job in their text only; the field comes from the grain call filter's scope.
        var grainLines = lines.Where(l => Category(l) == JobGrainCategory && Field(l, "job_id") == id).ToList();
        Assert.NotEmpty(grainLines);
        Assert.All(grainLines, l => Assert.Equal(id, l["State"]!["JobId"]!.ToString()));
        // The testbox's HTTP scope stays with the request: it does not leak into the grain's turn.
        Assert.All(grainLines, l => Assert.Null(Field(l, "testbox")));
    }

    [Fact]
    public void Every_line_of_the_silo_is_one_json_object()
    {
        var log = fixture.Silo.Log();
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.IsType<JsonObject>(JsonNode.Parse(line)));
    }

    /// <summary>The lines of the log that are JSON objects.</summary>
    private static List<JsonObject> JsonLines(string log) =>
        [.. log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject())];

    private static string Category(JsonObject line) => Text(line, "Category");

    private static string Text(JsonObject line, string name) => line[name]?.GetValue<string>() ?? "";

    /// <summary>The structured field <paramref name="name"/> of a line: from one of its scopes or from its message's state; null when it has none.</summary>
    private static string? Field(JsonObject line, string name)
    {
        foreach (var scope in line["Scopes"]?.AsArray() ?? [])
        {
            if (scope is JsonObject fields && fields[name] is { } value)
            {
                return value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
            }
        }

        return line["State"]?[name]?.ToString();
    }
}
