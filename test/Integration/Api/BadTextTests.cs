using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Grains.Storage;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Api;

/// <summary>
/// Text a client sends that the scheduler cannot keep as sent — bytes that are not UTF-8, escaped lone surrogates,
/// control characters in names, values past their column, aliases that multiply a document — is a 400 naming the field,
/// and nothing is stored. Before, each of these was a 500 or a 503 with Retry-After (issue 11, findings 1–3 and 8).
/// </summary>
public sealed class BadTextTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    /// <summary>Every JSON endpoint, with a body whose bytes are not UTF-8 or whose escapes are not text.</summary>
    public static TheoryData<string, string, string> NotText => new()
    {
        { "submit, bad bytes in a read field", "/api/v1/jobs", "{\"suite\":\"\\xff\\xfe\",\"my_account\":\"b\"}" },
        { "submit, lone surrogate", "/api/v1/jobs", "{\"suite\":\"\\\\ud800\",\"my_account\":\"b\"}" },
        { "submit, bad byte in a key", "/api/v1/jobs", "{\"su\\xffite\":\"a\",\"suite\":\"a\",\"my_account\":\"b\"}" },
        { "submit, bad byte in a tag value", "/api/v1/jobs", "{\"suite\":\"a\",\"my_account\":\"b\",\"tags\":{\"arch\":\"x\\xff\"}}" },
        { "submit, bad byte in a field nobody reads", "/api/v1/jobs", "{\"suite\":\"a\",\"my_account\":\"b\",\"x\":\"a\\xffb\"}" },
        { "submit, lone low surrogate in a nested key", "/api/v1/jobs", "{\"suite\":\"a\",\"my_account\":\"b\",\"pp\":{\"\\\\udc00\":1}}" },
        { "consume tags", "/api/v1/testboxes/vm-text--h1-0/consume", "{\"tags\":{\"arch\":\"\\xc3\\x28\"},\"wait_seconds\":0}" },
        { "consume, lone surrogate", "/api/v1/testboxes/vm-text--h1-0/consume", "{\"request_id\":\"\\\\ud800\",\"wait_seconds\":0}" },
        { "stage", "/api/v1/jobs/1/stage", "{\"stage\":\"running\",\"testbox\":\"\\xff\"}" },
        { "finish", "/api/v1/jobs/1/finish", "{\"health\":\"crash\",\"crash\":{\"keyvals\":{\"why\":\"\\xed\\xa0\\x80\"}}}" },
        { "renew", "/api/v1/jobs/1/renew", "{\"seconds\":60,\"testbox\":\"\\\\ud800\"}" },
        { "heartbeat host", "/api/v1/testboxes/vm-text--h1-0/heartbeat", "{\"host\":\"h\\xff\"}" },
        { "node state", "/api/v1/clusters/1/nodes/1/state", "{\"state\":\"re\\xffady\"}" },
    };

    [Theory]
    [MemberData(nameof(NotText))]
    public async Task A_body_that_is_not_text_gets_400_naming_the_body_and_stores_nothing(string why, string path, string escaped)
    {
        var before = await CountsAsync();
        using var content = new ByteArrayContent(Bytes(escaped));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await fixture.Http.PostAsync(path, content, TestContext.Current.CancellationToken);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "body", why);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_cluster_spec_that_is_not_text_gets_400_and_is_not_stored()
    {
        using var content = new ByteArrayContent(Bytes("nodes:\n  h\\xff:\n    roles: [server]\n"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        using var yaml = await fixture.Http.PutAsync("/api/v1/cluster-specs/cs-text", content, TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(yaml, HttpStatusCode.BadRequest, "body", "YAML spec with a bad byte");

        using var json = new ByteArrayContent(Bytes("{\"nodes\":{\"\\\\ud800\":{\"roles\":[\"server\"]}}}"));
        json.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var surrogate = await fixture.Http.PutAsync("/api/v1/cluster-specs/cs-text", json, TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(surrogate, HttpStatusCode.BadRequest, "body", "JSON spec with a lone surrogate");
        Assert.Equal(0, await Sql.ScalarAsync<long>(fixture.ConnectionString, "SELECT COUNT(*) FROM cluster_specs WHERE name = 'cs-text'"));
    }

    [Fact]
    public async Task Text_that_is_valid_survives_as_sent()
    {
        // The control: the strict reading refuses only what is not text; every other character is kept exactly.
        var job = await fixture.Client.SubmitAsync(
            new JsonObject { ["suite"] = "ünïcode-✓", ["my_account"] = "b", ["x"] = "a\u0000b 𝄞 \"q\"" }, TestContext.Current.CancellationToken);
        var stored = await fixture.Client.GetJobAsync(job["id"]!.GetValue<string>());
        Assert.Equal("ünïcode-✓", stored!["suite"]!.GetValue<string>());
        Assert.Equal("a\u0000b 𝄞 \"q\"", stored["x"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "suite of 129 characters", $"{{\"suite\":\"{new string('s', ColumnLimits.Suite + 1)}\",\"my_account\":\"b\"}}", "suite" },
        { "my_account of 129 characters", $"{{\"suite\":\"a\",\"my_account\":\"{new string('m', ColumnLimits.Account + 1)}\"}}", "my_account" },
        { "arch of 65 characters", $"{{\"suite\":\"a\",\"my_account\":\"b\",\"arch\":\"{new string('x', ColumnLimits.Arch + 1)}\"}}", "arch" },
        { "tags.arch of 65 characters", $"{{\"suite\":\"a\",\"my_account\":\"b\",\"tags\":{{\"arch\":\"{new string('x', ColumnLimits.Arch + 1)}\"}}}}", "tags.arch" },
        { "20 tags making a 1,240-character queue key", $"{{\"suite\":\"a\",\"my_account\":\"b\",\"tags\":{{{string.Join(',', Enumerable.Range(0, 20).Select(i => $"\"tag{i:00}\":\"{new string('v', 56)}\""))}}}}}", "tags" },
        { "1,000 tags", $"{{\"suite\":\"a\",\"my_account\":\"b\",\"tags\":{{{string.Join(',', Enumerable.Range(0, 1000).Select(i => $"\"t{i}\":\"v\""))}}}}}", "tags" },
        { "a testbox that is no machine name", "{\"suite\":\"a\",\"my_account\":\"b\",\"testbox\":\"../../etc/passwd\"}", "testbox" },
        { "a tbox_group of 256 characters", $"{{\"suite\":\"a\",\"my_account\":\"b\",\"tbox_group\":\"{new string('g', ColumnLimits.TboxGroup + 1)}\"}}", "tbox_group" },
        { "NUL in suite", "{\"suite\":\"a\\u0000b\",\"my_account\":\"b\"}", "suite" },
        { "line break in my_account", "{\"suite\":\"a\",\"my_account\":\"b\\nc\"}", "my_account" },
        { "escape character in suite", "{\"suite\":\"\\u001b[31mred\",\"my_account\":\"b\"}", "suite" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_value_its_column_cannot_hold_gets_400_naming_the_field_not_503(string why, string body, string field)
    {
        var before = await CountsAsync();
        using var response = await fixture.Http.PostAsync("/api/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Null(response.Headers.RetryAfter);
        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, field, why);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Values_exactly_at_their_column_limits_are_stored()
    {
        // arch=<64 x> then ",tagNN=<value>" entries (7 characters before the value) filling the key to exactly its limit.
        var tags = new JsonObject();
        var left = ColumnLimits.QueueKey - ("arch=".Length + ColumnLimits.Arch);
        for (var i = 0; left > 0; i++)
        {
            var length = left - 7 >= 2 * 80 ? 80 : left - 7;
            tags[$"tag{i:00}"] = new string((char)('a' + i), length);
            left -= 7 + length;
        }

        var job = await fixture.Client.SubmitAsync(
            new JsonObject
            {
                ["suite"] = new string('s', ColumnLimits.Suite),
                ["my_account"] = new string('m', ColumnLimits.Account),
                ["arch"] = new string('x', ColumnLimits.Arch),
                ["tags"] = tags,
            },
            TestContext.Current.CancellationToken);
        var id = job["id"]!.GetValue<string>();
        Assert.Equal(ColumnLimits.QueueKey, await Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT CHAR_LENGTH(queue_key) FROM jobs WHERE id = {id}"));
    }

    [Fact]
    public async Task Every_limit_matches_its_column_in_the_migrated_schema()
    {
        (string Table, string Column, int Limit)[] columns =
        [
            ("jobs", "suite", ColumnLimits.Suite), ("jobs", "my_account", ColumnLimits.Account), ("submit_keys", "my_account", ColumnLimits.Account),
            ("jobs", "tbox_group", ColumnLimits.TboxGroup), ("jobs", "testbox", ColumnLimits.Testbox), ("testboxes", "testbox", ColumnLimits.Testbox),
            ("consume_requests", "testbox", ColumnLimits.Testbox), ("jobs", "arch", ColumnLimits.Arch), ("jobs", "queue_key", ColumnLimits.QueueKey),
            ("job_effects", "target", ColumnLimits.QueueKey), ("consume_requests", "request_id", ColumnLimits.RequestId),
            ("submit_keys", "submit_id", ColumnLimits.SubmitId), ("hosts", "host", ColumnLimits.Host), ("jobs", "host", ColumnLimits.Host),
            ("testboxes", "host", ColumnLimits.Host), ("cluster_specs", "name", ColumnLimits.ClusterSpecName),
            ("accounts", "my_account", ColumnLimits.Account), ("accounts", "my_email", ColumnLimits.AccountContact), ("accounts", "my_name", ColumnLimits.AccountContact),
        ];
        foreach (var (table, column, limit) in columns)
        {
            var width = await Sql.ScalarAsync<long>(
                fixture.ConnectionString,
                $"SELECT CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}' AND COLUMN_NAME = '{column}'");
            Assert.True(width == limit, $"{table}.{column} is {width} characters wide; ColumnLimits says {limit}");
        }
    }

    [Fact]
    public async Task An_alias_repeated_past_the_size_limit_gets_400_and_stores_nothing()
    {
        // 102,825 bytes that expanded to a 10 MB document (and a 921,965-byte variant to a 74 MB packet).
        var yaml = new StringBuilder("suite: a\nmy_account: b\nbig: &s '").Append('x', 100 * 1024).Append("'\nrep: [")
            .AppendJoin(", ", Enumerable.Repeat("*s", 100)).Append("]\n").ToString();
        var before = await CountsAsync();
        using var response = await fixture.Http.PostAsync("/api/v1/jobs", new StringContent(yaml, Encoding.UTF8, "application/yaml"), TestContext.Current.CancellationToken);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "body", "alias bomb");
        Assert.Contains("characters of text", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    /// <summary>The escapes of the theory data as bytes: <c>\xNN</c> is that byte; anything else is its UTF-8.</summary>
    private static byte[] Bytes(string escaped)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && i + 3 < escaped.Length && escaped[i + 1] == 'x')
            {
                bytes.Add(Convert.ToByte(escaped.Substring(i + 2, 2), 16));
                i += 3;
            }
            else if (escaped[i] == '\\' && i + 1 < escaped.Length && escaped[i + 1] == '\\')
            {
                bytes.Add((byte)'\\');
                i++;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(escaped[i].ToString()));
            }
        }

        return [.. bytes];
    }

    private async Task<string> CountsAsync()
    {
        var counts = await Sql.RowsAsync(
            fixture.ConnectionString,
            "SELECT (SELECT COUNT(*) FROM jobs) AS jobs, (SELECT COUNT(*) FROM testboxes) AS testboxes, (SELECT COUNT(*) FROM hosts) AS hosts, " +
            "(SELECT COUNT(*) FROM cluster_specs) AS specs, (SELECT COUNT(*) FROM submit_keys) AS submit_keys, (SELECT COUNT(*) FROM job_effects) AS effects");
        return counts[0];
    }
}
