using System.Text.Json.Nodes;
using CompassCi.Contracts.Jobs;
using CompassCi.Grains.Jobs;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Storage;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Storage;

/// <summary>
/// The batched claim, straight against MariaDB: claims that arrive together share one statement, and its condition
/// hands each job out at most once, even to two silos' claim stores racing for the same jobs.
/// </summary>
public sealed class JobClaimStoreTests(MariaDbFixture database)
{
    private static readonly JobTransitions Transitions = new(new ReschedulePolicy(), TimeSpan.FromMinutes(10));

    private static JobRecord Pending(long id) => new()
    {
        Id = id,
        SubmitTime = 1_000 + id,
        Account = "acct",
        Suite = "suite",
        QueueKey = "arch=x86_64",
        Stage = JobStages.Submit,
        Priority = 5,
        MemoryMb = 0,
        Version = 1,
        Document = $"{{\"n\":{id}}}",
    };

    private static JobClaim Claim(long id, string testbox, string lease, int attempt = 0, string? token = null) =>
        new(id, testbox, lease, attempt, "host-" + testbox, Transitions.LeaseFor(testbox, lease, DateTimeOffset.FromUnixTimeMilliseconds(5_000)), token);

    private static Task<string> RequestRowAsync(Stores stores, string testbox, string request) =>
        Sql.ScalarAsync<string>(stores.ConnectionString,
            $"SELECT CONCAT(attempt, ' ', COALESCE(token, '-')) FROM consume_requests WHERE testbox = '{testbox}' AND request_id = '{request}'");

    [Fact]
    public async Task Two_stores_racing_for_the_same_jobs_hand_each_out_exactly_once()
    {
        await using var stores = await Stores.CreateAsync(database, "claim");
        await using var other = stores.SecondClaimStore();
        const int jobs = 300;
        Assert.All(await Task.WhenAll(Enumerable.Range(1, jobs).Select(i => stores.Jobs.InsertAsync(Pending(i)))), Assert.True);

        // Every job is claimed twice at once, by a testbox on each "silo": one claim lands, the other finds it gone.
        var racing = Enumerable.Range(1, jobs).SelectMany(i => new[]
        {
            (Id: (long)i, Testbox: $"a-{i}", Answer: stores.Claims.ClaimAsync(Claim(i, $"a-{i}", $"la-{i}"))),
            (Id: (long)i, Testbox: $"b-{i}", Answer: other.ClaimAsync(Claim(i, $"b-{i}", $"lb-{i}"))),
        }).ToList();
        var answers = await Task.WhenAll(racing.Select(c => c.Answer));
        var claims = racing.Select((c, i) => (c.Id, c.Testbox, Held: answers[i])).ToList();

        foreach (var byJob in claims.GroupBy(c => c.Id))
        {
            var winner = Assert.Single(byJob, c => c.Held is not null);
            var row = (await stores.Jobs.GetAsync(byJob.Key))!;
            Assert.Equal((JobStages.Boot, winner.Testbox, 2), (row.Stage, row.Testbox, row.Version));
            Assert.Equal(row, winner.Held);
        }

        // One leased entry per job in its history, stamped with the state it left the job in.
        var leased = await Sql.ScalarAsync<long>(stores.ConnectionString,
            "SELECT COUNT(*) FROM jobs WHERE JSON_LENGTH(events) = 2 AND JSON_VALUE(events, '$[1].event') = 'leased' AND JSON_VALUE(events, '$[1].job_stage') = 'boot'");
        Assert.Equal(jobs, leased);
    }

    [Fact]
    public async Task A_claim_writes_what_an_assignment_writes_and_answers_the_row()
    {
        await using var stores = await Stores.CreateAsync(database, "claim");
        Assert.True(await stores.Jobs.InsertAsync(Pending(11)));

        var claim = Claim(11, "vm-2p8g--h1-0", "lease-11");
        var held = await stores.Claims.ClaimAsync(claim);

        Assert.NotNull(held);
        var expected = Transitions.Assign(Pending(11), claim.Testbox, claim.LeaseId, claim.Host, DateTimeOffset.FromUnixTimeMilliseconds(5_000)).Change!.After;
        Assert.Equal(expected with { QueuedAt = held.QueuedAt }, held);
        var events = JsonNode.Parse((await stores.Jobs.GetEventsAsync(11))!)!.AsArray();
        Assert.Equal(JsonNode.Parse("""{"time":5000,"event":"leased","testbox":"vm-2p8g--h1-0","lease_id":"lease-11","job_stage":"boot","job_health":null}"""), events[1], JsonNode.DeepEquals);
        Assert.Equal(5_000, await Sql.ScalarAsync<long>(stores.ConnectionString, "SELECT changed_at FROM jobs WHERE id = 11"));
    }

    [Fact]
    public async Task A_new_row_reserves_growth_room_that_its_first_change_gives_up_by_claim_or_by_grain()
    {
        await using var stores = await Stores.CreateAsync(database, "claim");
        Assert.True(await stores.Jobs.InsertAsync(Pending(12)));
        Assert.True(await stores.Jobs.InsertAsync(Pending(13)));
        Task<string> RoomAsync(long id) => Sql.ScalarAsync<string>(stores.ConnectionString, $"SELECT COALESCE(LENGTH(growth_room), 'none') FROM jobs WHERE id = {id}");
        Assert.Equal(("320", "320"), (await RoomAsync(12), await RoomAsync(13)));

        // The batched claim and a change through the job's grain both hand the room back to the row's own columns.
        Assert.NotNull(await stores.Claims.ClaimAsync(Claim(12, "vm-2p8g--h1-0", "lease-12")));
        var assign = Transitions.Assign(Pending(13), "vm-2p8g--h1-1", "lease-13", "host-1", DateTimeOffset.FromUnixTimeMilliseconds(5_000)).Change!;
        Assert.True(await stores.Jobs.ApplyAsync(assign, 5_000));
        Assert.Equal(("none", "none"), (await RoomAsync(12), await RoomAsync(13)));
        Assert.Equal((JobStages.Boot, JobStages.Boot), ((await stores.Jobs.GetAsync(12))!.Stage, (await stores.Jobs.GetAsync(13))!.Stage));
    }

    [Fact]
    public async Task A_superseded_attempt_a_cancelled_job_and_a_taken_job_are_not_claimed()
    {
        await using var stores = await Stores.CreateAsync(database, "claim");
        foreach (var id in new long[] { 21, 22, 23 })
        {
            Assert.True(await stores.Jobs.InsertAsync(Pending(id)));
        }

        // The request's first attempt is fenced out by its retry, which bumped the attempt first.
        Assert.Equal(1, await stores.ConsumeRequests.BeginAttemptAsync("req-1", "tb-1", 1));
        Assert.Equal(2, await stores.ConsumeRequests.BeginAttemptAsync("req-1", "tb-1", 2));
        await Sql.ExecuteAsync(stores.ConnectionString, "UPDATE jobs SET cancel_requested = 1 WHERE id = 22");
        Assert.NotNull(await stores.Claims.ClaimAsync(Claim(23, "tb-3", "req-3")));

        var answers = await Task.WhenAll(
            stores.Claims.ClaimAsync(Claim(21, "tb-1", "req-1", attempt: 1)),
            stores.Claims.ClaimAsync(Claim(22, "tb-2", "req-2")),
            stores.Claims.ClaimAsync(Claim(23, "tb-4", "req-4")));

        Assert.All(answers, Assert.Null);
        Assert.Equal(JobStages.Submit, (await stores.Jobs.GetAsync(21))!.Stage);
        Assert.Equal(JobStages.Submit, (await stores.Jobs.GetAsync(22))!.Stage);
        Assert.Equal("tb-3", (await stores.Jobs.GetAsync(23))!.Testbox);

        // The latest attempt lands.
        Assert.Equal("tb-1", (await stores.Claims.ClaimAsync(Claim(21, "tb-1", "req-1", attempt: 2)))?.Testbox);
    }

    [Fact]
    public async Task A_first_attempt_records_its_request_in_the_claim_and_a_later_count_fences_its_next_claim_off()
    {
        await using var stores = await Stores.CreateAsync(database, "claim");
        foreach (var id in new long[] { 31, 32, 33 })
        {
            Assert.True(await stores.Jobs.InsertAsync(Pending(id)));
        }

        // The first attempt's claim lands and leaves its request behind: attempt 1, its token.
        Assert.Equal("tb-1", (await stores.Claims.ClaimAsync(Claim(31, "tb-1", "req-1", token: "t1")))?.Testbox);
        Assert.Equal("1 t1", await RequestRowAsync(stores, "tb-1", "req-1"));

        // Another claim of the same attempt (the consume looking in a second queue) still owns the request.
        Assert.Equal("tb-1", (await stores.Claims.ClaimAsync(Claim(32, "tb-1", "req-1", token: "t1")))?.Testbox);

        // A retry counts its attempt: the token is cleared, so the first attempt can claim nothing more.
        Assert.Equal(2, await stores.ConsumeRequests.BeginAttemptAsync("req-1", "tb-1", 6_000));
        Assert.Equal("2 -", await RequestRowAsync(stores, "tb-1", "req-1"));
        Assert.Null(await stores.Claims.ClaimAsync(Claim(33, "tb-1", "req-1", token: "t1")));
        Assert.Equal(JobStages.Submit, (await stores.Jobs.GetAsync(33))!.Stage);
    }

    [Fact]
    public async Task A_first_attempt_of_a_request_already_asked_claims_nothing_and_leaves_the_request_as_it_was()
    {
        await using var stores = await Stores.CreateAsync(database, "claim");
        Assert.True(await stores.Jobs.InsertAsync(Pending(41)));
        Assert.True(await stores.Jobs.InsertAsync(Pending(42)));

        // Asked before and counted (a waiting consume), or recorded by another first attempt's claim: either way the
        // request is not this attempt's, and the row keeps its attempt and token.
        Assert.Equal(1, await stores.ConsumeRequests.BeginAttemptAsync("req-a", "tb-a", 1_000));
        Assert.Null(await stores.Claims.ClaimAsync(Claim(41, "tb-a", "req-a", token: "ta")));
        Assert.Equal("1 -", await RequestRowAsync(stores, "tb-a", "req-a"));

        Assert.NotNull(await stores.Claims.ClaimAsync(Claim(41, "tb-b", "req-b", token: "first")));
        Assert.Null(await stores.Claims.ClaimAsync(Claim(42, "tb-b", "req-b", token: "second")));
        Assert.Equal("1 first", await RequestRowAsync(stores, "tb-b", "req-b"));
        Assert.Equal(JobStages.Submit, (await stores.Jobs.GetAsync(42))!.Stage);

        // The same request id from another testbox is another request: its first attempt claims.
        Assert.Equal("tb-c", (await stores.Claims.ClaimAsync(Claim(42, "tb-c", "req-b", token: "third")))?.Testbox);
    }

    [Fact]
    public async Task Two_first_attempts_of_one_request_racing_on_two_stores_take_at_most_one_job()
    {
        await using var stores = await Stores.CreateAsync(database, "claim");
        await using var other = stores.SecondClaimStore();
        const int requests = 100;
        Assert.All(await Task.WhenAll(Enumerable.Range(1, 2 * requests).Select(i => stores.Jobs.InsertAsync(Pending(i)))), Assert.True);

        // Request i asked twice at once (a retry reaching the other silo while the first is in flight), each attempt
        // claiming a different job: only the attempt whose token the request row carries may land.
        var answers = await Task.WhenAll(Enumerable.Range(1, requests).SelectMany(i => new[]
        {
            stores.Claims.ClaimAsync(Claim(2 * i - 1, $"tb-{i}", $"req-{i}", token: $"a{i}")),
            other.ClaimAsync(Claim(2 * i, $"tb-{i}", $"req-{i}", token: $"b{i}")),
        }));

        for (var i = 1; i <= requests; i++)
        {
            var (first, second) = (answers[2 * i - 2], answers[2 * i - 1]);
            var row = await RequestRowAsync(stores, $"tb-{i}", $"req-{i}");
            Assert.Equal(first is not null ? $"1 a{i}" : $"1 b{i}", row);
            Assert.True(first is null || second is null, $"request {i} took two jobs");
            Assert.True(first is not null || second is not null, $"request {i}: neither attempt landed although one owns the request");
        }

        Assert.Equal(requests, await Sql.ScalarAsync<long>(stores.ConnectionString, "SELECT COUNT(*) FROM jobs WHERE job_stage = 'boot'"));
    }

    [Fact]
    public async Task A_claim_queued_behind_a_hung_batch_fails_unrun_and_its_job_stays_pending()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stores = await Stores.CreateAsync(database, "claim");
        // Statements give up after 4 s: longer than a claim may wait for its batch (2 s), so the wait ends first.
        await using var store = stores.SecondClaimStore(commandTimeoutSeconds: 4);
        Assert.True(await stores.Jobs.InsertAsync(Pending(61)));
        Assert.True(await stores.Jobs.InsertAsync(Pending(62)));

        // Another transaction holds job 61's row: the batch that claims it hangs on the lock (as on a hung database).
        await using var holder = new MySqlConnector.MySqlConnection(stores.ConnectionString);
        await holder.OpenAsync(ct);
        await using var transaction = await holder.BeginTransactionAsync(ct);
        await using (var lockRow = new MySqlConnector.MySqlCommand("SELECT id FROM jobs WHERE id = 61 FOR UPDATE", holder, transaction))
        {
            await lockRow.ExecuteScalarAsync(ct);
        }

        var hung = store.ClaimAsync(Claim(61, "tb-hung", "lease-61"));
        Assert.True(await Eventually.HoldsAsync(
            async () => await Sql.ScalarAsync<long>(stores.ConnectionString,
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND COMMAND = 'Query' AND INFO LIKE '%UPDATE jobs SET job_stage = ''boot''%'") > 0,
            TimeSpan.FromSeconds(10)), "the first batch never started");

        // Queued behind it: by the time the hung batch gives up, this claim has waited too long to be run.
        var queued = store.ClaimAsync(Claim(62, "tb-queued", "lease-62"));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => queued);
        Assert.Contains("was not run", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => hung);
        await transaction.RollbackAsync(ct);

        // Neither job moved: both are still pending, at their first version, and claimable.
        foreach (var id in new long[] { 61, 62 })
        {
            var row = (await stores.Jobs.GetAsync(id))!;
            Assert.Equal((JobStages.Submit, (string?)null, 1), (row.Stage, row.Testbox, row.Version));
        }

        Assert.Equal("tb-queued", (await store.ClaimAsync(Claim(62, "tb-queued", "lease-62b")))?.Testbox);
    }
}
