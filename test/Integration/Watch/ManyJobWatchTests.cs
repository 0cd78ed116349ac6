using System.Net;
using CompassCi.Tests.Integration.Auth;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Watch;

/// <summary>The many-job SSE watch on a closed silo: an account sees its own jobs' changes only, and resumes from its position.</summary>
public sealed class ManyJobWatchTests(ClosedSiloFixture fixture) : IClassFixture<ClosedSiloFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly AuthCalls _calls = new(fixture.Http);

    [Fact]
    public async Task An_account_watching_sees_its_own_two_jobs_change_not_another_accounts_and_resumes_from_its_position()
    {
        var (a, aToken) = await _calls.CreateAccountAsync(fixture.AdminToken);
        var (b, bToken) = await _calls.CreateAccountAsync(fixture.AdminToken);
        var group = "vm-mw" + Guid.NewGuid().ToString("N")[..6];

        // Asking for b's jobs with a's token still shows a's only, as the job list does.
        List<SseEvent> seen;
        string[] mine;
        string theirs;
        await using (var watch = await SseClient.OpenAsync(fixture.Http, $"/api/v1/watch?tbox_group={group}&my_account={b}", token: aToken))
        {
            Assert.Equal((HttpStatusCode.OK, "text/event-stream"), (watch.Status, watch.ContentType));
            var first = await _calls.SubmitAsync(aToken, a, group);
            theirs = await _calls.SubmitAsync(bToken, b, group);
            var second = await _calls.SubmitAsync(aToken, a, group);
            mine = [first, second];
            (await _calls.PostAsync($"/api/v1/jobs/{first}/cancel", aToken)).Is(HttpStatusCode.OK, "cancel the first");

            // b's submit came before a's cancel, so it would have been sent before it.
            seen = await watch.UntilAsync(e => e.Data["event"]!.GetValue<string>() == "cancelled", Patience);
        }

        Assert.Equal([(mine[0], "submitted"), (mine[1], "submitted"), (mine[0], "cancelled")], seen.Select(e => (e.Data["job_id"]!.GetValue<string>(), e.Data["event"]!.GetValue<string>())));
        Assert.DoesNotContain(seen, e => e.Data["job_id"]!.GetValue<string>() == theirs);
        Assert.Equal(["job", "job", "health"], seen.Select(e => e.Event));
        Assert.Equal(seen.Count, seen.Select(e => e.Id).Distinct().Count());

        // Missed while disconnected: found again from the last position seen, with nothing sent twice.
        (await _calls.PostAsync($"/api/v1/jobs/{mine[1]}/cancel", aToken)).Is(HttpStatusCode.OK, "cancel the second");
        await using var resumed = await SseClient.OpenAsync(fixture.Http, $"/api/v1/watch?tbox_group={group}", lastEventId: seen[^1].Id, token: aToken);
        var next = await resumed.NextAsync(Patience);
        Assert.Equal((mine[1], "cancelled", "finish", "cancel"), (next.Data["job_id"]!.GetValue<string>(), next.Data["event"]!.GetValue<string>(), next.Data["job_stage"]!.GetValue<string>(), next.Data["job_health"]!.GetValue<string>()));

        // An operator asking for b's jobs gets them, from a position before they were made.
        await using var operatorWatch = await SseClient.OpenAsync(fixture.Http, $"/api/v1/watch?tbox_group={group}&my_account={b}&after=0-0-0", token: fixture.OperatorToken);
        var submitted = await operatorWatch.NextAsync(Patience);
        Assert.Equal((theirs, "submitted"), (submitted.Data["job_id"]!.GetValue<string>(), submitted.Data["event"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_malformed_position_or_a_repeated_filter_is_a_400_naming_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var bad = await _calls.GetAsync("/api/v1/watch?after=12", fixture.OperatorToken);
        bad.Refused(HttpStatusCode.BadRequest, "after", "a position that is not one");
        var twice = await _calls.GetAsync("/api/v1/watch?suite=a&suite=b", fixture.OperatorToken);
        twice.Refused(HttpStatusCode.BadRequest, "suite", "a filter given twice");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/watch");
        request.Headers.Add("Last-Event-ID", "x-1-1");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fixture.OperatorToken);
        using var header = await fixture.Http.SendAsync(request, ct);
        await ProblemAssert.IsAsync(header, HttpStatusCode.BadRequest, "Last-Event-ID", "a malformed Last-Event-ID");
    }
}
