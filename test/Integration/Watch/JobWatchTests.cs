using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Watch;

/// <summary>The one-job SSE watch against a live silo: every change in order, live, and resumed without gap or duplicate.</summary>
public sealed class JobWatchTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private async Task<(string Id, string Testbox)> SubmitAsync()
    {
        var tbox = "vm-watch-" + Guid.NewGuid().ToString("N")[..6];
        var job = new JsonObject { ["suite"] = "ebizzy", ["my_account"] = "watcher", ["tbox_group"] = tbox, ["runtime"] = "300s" };
        return ((await fixture.Client.SubmitAsync(job, TestContext.Current.CancellationToken))["id"]!.GetValue<string>(), $"{tbox}--0");
    }

    private async Task ConsumeAsync(string id, string testbox) =>
        Assert.Equal(id, (await fixture.Client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 0, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());

    private async Task FinishAsync(string id, string testbox)
    {
        var (status, body) = await fixture.Client.PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "success", ["testbox"] = testbox });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    [Fact]
    public async Task The_watch_delivers_each_change_live_in_order_as_the_history_records_it()
    {
        var (id, testbox) = await SubmitAsync();
        await using var watch = await SseClient.OpenAsync(fixture.Http, $"/api/v1/jobs/{id}/watch");
        Assert.Equal((HttpStatusCode.OK, "text/event-stream"), (watch.Status, watch.ContentType));

        // Each change is made only after the one before has arrived: the stream is live, not a replay at the end.
        List<SseEvent> seen = [await watch.NextAsync(Patience)];
        await ConsumeAsync(id, testbox);
        seen.Add(await watch.NextAsync(Patience));
        foreach (var stage in new[] { "running", "post_run" })
        {
            await fixture.Client.StageAsync(id, stage, testbox);
            seen.Add(await watch.NextAsync(Patience));
        }

        await FinishAsync(id, testbox);
        seen.Add(await watch.NextAsync(Patience));

        Assert.Equal(["1", "2", "3", "4", "5"], seen.Select(e => e.Id));
        Assert.Equal(["job", "stage", "stage", "stage", "health"], seen.Select(e => e.Event));
        Assert.Equal(["submitted", "leased", "stage", "stage", "finished"], seen.Select(e => e.Data["event"]!.GetValue<string>()));
        Assert.Equal(["submit", "boot", "running", "post_run", "finish"], seen.Select(e => e.Data["job_stage"]!.GetValue<string>()));
        Assert.Equal([null, null, null, null, "success"], seen.Select(e => e.Data["job_health"]?.GetValue<string>()));
        Assert.All(seen, e => Assert.Equal((id, e.Id), (e.Data["job_id"]!.GetValue<string>(), e.Data["id"]!.GetValue<string>())));
        Assert.Equal(testbox, seen[1].Data["detail"]!["testbox"]!.GetValue<string>());
        Assert.Equal("boot", seen[2].Data["detail"]!["from"]!.GetValue<string>());

        // The same entries, at the same times, as the job's history.
        var history = JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/jobs/{id}/events", TestContext.Current.CancellationToken))!["events"]!.AsArray();
        Assert.Equal(
            history.Take(5).Select(e => (e!["event"]!.GetValue<string>(), e["time"]!.GetValue<string>())),
            seen.Select(e => (e.Data["event"]!.GetValue<string>(), e.Data["time"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_watch_cut_off_midway_resumes_from_Last_Event_ID_or_after_with_no_gap_and_no_duplicate()
    {
        var (id, testbox) = await SubmitAsync();
        await ConsumeAsync(id, testbox);
        List<SseEvent> first;
        await using (var watch = await SseClient.OpenAsync(fixture.Http, $"/api/v1/jobs/{id}/watch"))
        {
            first = [await watch.NextAsync(Patience), await watch.NextAsync(Patience)];
        }

        // Changes made while nobody watches.
        await fixture.Client.StageAsync(id, "running", testbox);
        await fixture.Client.StageAsync(id, "post_run", testbox);
        await FinishAsync(id, testbox);

        await using var resumed = await SseClient.OpenAsync(fixture.Http, $"/api/v1/jobs/{id}/watch", lastEventId: first[^1].Id);
        var rest = await resumed.UntilAsync(e => e.Data["event"]!.GetValue<string>() == "finished", Patience);
        Assert.Equal(["1", "2"], first.Select(e => e.Id));
        Assert.Equal(["3", "4", "5"], rest.Select(e => e.Id));
        Assert.Equal(["running", "post_run", "finish"], rest.Select(e => e.Data["job_stage"]!.GetValue<string>()));

        // after= does the same, and wins over Last-Event-ID.
        await using var fromQuery = await SseClient.OpenAsync(fixture.Http, $"/api/v1/jobs/{id}/watch?after=3", lastEventId: "1");
        Assert.Equal("4", (await fromQuery.NextAsync(Patience)).Id);
    }

    [Fact]
    public async Task An_unknown_job_is_a_404_and_a_malformed_position_a_400_naming_where_it_came_from()
    {
        var (id, _) = await SubmitAsync();
        var ct = TestContext.Current.CancellationToken;

        using var unknown = await fixture.Http.GetAsync("/api/v1/jobs/999999999999/watch", ct);
        await ProblemAssert.IsAsync(unknown, HttpStatusCode.NotFound, "id", "unknown job");
        using var badAfter = await fixture.Http.GetAsync($"/api/v1/jobs/{id}/watch?after=x", ct);
        await ProblemAssert.IsAsync(badAfter, HttpStatusCode.BadRequest, "after", "malformed after");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{id}/watch");
        request.Headers.Add("Last-Event-ID", "-3");
        using var badHeader = await fixture.Http.SendAsync(request, ct);
        await ProblemAssert.IsAsync(badHeader, HttpStatusCode.BadRequest, "Last-Event-ID", "malformed Last-Event-ID");
    }
}
