using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Hostile;

/// <summary>
/// Runs every case of the hostile corpus (the <c>*.cases</c> files beside this class) against one real silo over a raw
/// socket, one test row per case, and checks what issue 11 asks: the expected status class, a 4xx that says what is
/// wrong, never a 5xx, never a hang, not one row written or changed by a refused request, and a ready silo after each.
/// </summary>
[TestCaseOrderer(typeof(CorpusOrder))]
[TestMethodOrderer(typeof(CorpusOrder))]
public sealed class HostileCorpusTests(HostileSilo silo) : IClassFixture<HostileSilo>
{
    private static readonly Stopwatch SinceFirstCase = new();

    public static IEnumerable<TheoryDataRow<string>> Cases =>
        CaseFile.All.Select((c, i) => new TheoryDataRow<string>(c.Id) { TestDisplayName = $"{i + 1:D3} {c}" });

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_case_gets_a_clear_4xx_and_changes_nothing(string id)
    {
        SinceFirstCase.Start();
        var hostile = CaseFile.ById(id);
        var (head, body) = await BuildAsync(hostile);
        // The counts after the previous case are the counts before this one, unless something was made in between.
        var before = hostile.MustLeaveRowsAlone ? silo.LastCounts ?? await silo.RowCountsAsync() : null;
        silo.LastCounts = null;

        var answer = await RawHttp.SendAsync(silo.Silo.BaseAddress, head, body, hostile.How, TestContext.Current.CancellationToken);

        var problems = Judge(hostile, answer);
        if (before is not null)
        {
            var after = await silo.RowCountsAsync();
            if (after != before)
            {
                problems.Add($"rows changed: before [{before}], after [{after}]");
            }
            else
            {
                silo.LastCounts = after;
            }
        }

        if (await silo.UnhealthyAsync() is { } unhealthy)
        {
            problems.Add($"the silo is not healthy after it: {unhealthy}");
        }

        silo.Results.Add((hostile, answer, problems.Count == 0));
        Assert.True(problems.Count == 0, $"{hostile.File}:{hostile.Line} '{hostile.Name}': {string.Join("; ", problems)}\nanswer: {Excerpt(answer)}");
    }

    [Fact]
    public async Task After_the_corpus_the_silo_still_submits_consumes_and_finishes()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(Summary());
        Assert.Null(await silo.UnhealthyAsync());

        var testbox = "hostile-after-" + Guid.NewGuid().ToString("N")[..6];
        var job = await silo.Client.SubmitAsync(new JsonObject { ["suite"] = "after-the-corpus", ["my_account"] = "hostile", ["testbox"] = testbox, ["priority"] = 9 }, TestContext.Current.CancellationToken);
        var id = job["id"]!.GetValue<string>();
        await silo.TakeOwnAsync(testbox, id);
        await silo.Client.StageAsync(id, "running", testbox);
        var (status, finished) = await silo.Client.PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "success", ["testbox"] = testbox });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", finished?["job_health"]?.GetValue<string>());
    }

    /// <summary>The request's head and body bytes, placeholders filled and the headers every request needs added unless the case omits them.</summary>
    private async Task<(byte[] Head, byte[] Body)> BuildAsync(HostileCase hostile)
    {
        var body = CaseText.ToBytes(await silo.SubstituteAsync(hostile.Body));
        var lines = new List<string> { await silo.SubstituteAsync(hostile.RequestLine) };
        foreach (var header in hostile.Headers)
        {
            lines.Add(await silo.SubstituteAsync(header));
        }

        bool Has(string name) => hostile.Headers.Any(h => h.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)) || hostile.Omit.Contains(name);
        if (!Has("host"))
        {
            lines.Add($"Host: {silo.Silo.BaseAddress.Authority}");
        }

        if (!Has("content-length") && !Has("transfer-encoding") && (body.Length > 0 || hostile.Method is "POST" or "PUT"))
        {
            lines.Add($"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!Has("connection"))
        {
            lines.Add("Connection: close");
        }

        var head = new MemoryStream();
        foreach (var line in lines)
        {
            head.Write(CaseText.ToBytes(line));
            head.Write("\r\n"u8);
        }

        head.Write("\r\n"u8);
        return (head.ToArray(), body);
    }

    /// <summary>Everything wrong with <paramref name="answer"/> for <paramref name="hostile"/>; empty when it is right.</summary>
    private static List<string> Judge(HostileCase hostile, RawAnswer answer)
    {
        var problems = new List<string>();
        if (answer.TimedOut)
        {
            problems.Add($"no answer within {hostile.Timeout.TotalSeconds:0} s (a hang)");
            return problems;
        }

        if (answer.Status is >= 500)
        {
            problems.Add($"a {answer.Status} for a client's request");
        }

        var matches = hostile.Expect.Any(e => answer.Status is { } s
            ? e == s.ToString(CultureInfo.InvariantCulture) || (e.EndsWith("xx", StringComparison.Ordinal) && e[0] - '0' == s / 100)
            : e == "close");
        if (!matches)
        {
            problems.Add($"expected {string.Join(" or ", hostile.Expect)}, got {answer.Outcome}");
        }

        if (answer.Status is >= 400 and < 500 && hostile.NoMessage is null)
        {
            if (ProblemMessage(answer.BodyText) is not { } message)
            {
                problems.Add("the 4xx carries no problem message (no JSON 'error' or 'detail')");
            }
            else if (hostile.Names is { } field && !answer.BodyText.Contains(field, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"the problem does not name '{field}': {message}");
            }
        }

        // What a success must show (it matched nothing, it kept the value); a refusal has nothing to show.
        foreach (var text in hostile.BodyHas.Where(t => answer.Status is >= 200 and < 300 && !answer.BodyText.Contains(t, StringComparison.Ordinal)))
        {
            problems.Add($"the answer lacks {text}");
        }

        return problems;
    }

    private static string? ProblemMessage(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject problem
                && new[] { problem["error"], problem["detail"] }.FirstOrDefault(m => m?.GetValueKind() == JsonValueKind.String && m.GetValue<string>().Trim().Length > 0) is { } message
                ? message.GetValue<string>()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Excerpt(RawAnswer answer)
    {
        var text = answer.BodyText;
        return $"{answer.Outcome} after {answer.Elapsed.TotalSeconds:0.0} s{(answer.SendError is { } e ? $" (sending: {e})" : "")}: {(text.Length > 300 ? text[..300] + "…" : text)}";
    }

    private string Summary()
    {
        var results = silo.Results;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Hostile corpus: {results.Count} cases in {SinceFirstCase.Elapsed.TotalSeconds:0.0} s, {results.Count(r => r.Passed)} passed, {results.Count(r => !r.Passed)} failed.");
        text.AppendLine("Answers: " + string.Join(", ", results.GroupBy(r => r.Answer.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}")));
        foreach (var file in results.GroupBy(r => r.Case.File))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {file.Key}: {file.Count()} cases, {file.Count(r => !r.Passed)} failed");
        }

        foreach (var (hostile, answer, _) in results.Where(r => !r.Passed))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  FAILED {hostile.File}:{hostile.Line} {hostile.Name}: {Excerpt(answer)}");
        }

        var summary = text.ToString();
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "hostile-corpus-summary.txt"), summary);
        return summary;
    }
}
