using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Hostile;

/// <summary>
/// The one silo the corpus runs against, and what its cases point at: a pending job, a held one, a running one, a
/// finished one, a multi-node cluster. Each is checked before a case that names it and made again if an earlier case
/// (wrongly accepted) moved it on, so that one failure cannot turn later cases into false passes or failures.
/// </summary>
public sealed class HostileSilo(MariaDbFixture database) : SiloFixture(database)
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private int _made;

    /// <summary>What each case answered, for the summary the last test prints.</summary>
    public List<(HostileCase Case, RawAnswer Answer, bool Passed)> Results { get; } = [];

    /// <summary>Replaces every placeholder in <paramref name="text"/>, making what it names first when needed.</summary>
    public async Task<string> SubstituteAsync(string text)
    {
        foreach (var name in CaseFile.PlaceholdersIn(text).Distinct().ToList())
        {
            text = text.Replace("{" + name + "}", await ValueAsync(name), StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The counts last taken, while nothing is known to have written since (null otherwise).</summary>
    public string? LastCounts { get; set; }

    /// <summary>Every table's row count and the sum of job and cluster versions: any write at all changes this line.</summary>
    public async Task<string> RowCountsAsync()
    {
        // Testbox sightings are written in batches; listing hosts flushes them, so a sighting is counted with its request.
        using var flush = await Http.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(async () => await Sql.ScalarAsync<long>(ConnectionString, "SELECT COUNT(*) FROM job_effects WHERE done_at IS NULL") == 0, TimeSpan.FromSeconds(10));
        var rows = await Sql.RowsAsync(ConnectionString, """
            SELECT (SELECT COUNT(*) FROM jobs) AS jobs, (SELECT COALESCE(SUM(version), 0) FROM jobs) AS job_versions,
                   (SELECT COUNT(*) FROM job_effects) AS job_effects, (SELECT COUNT(*) FROM submit_keys) AS submit_keys,
                   (SELECT COUNT(*) FROM consume_requests) AS consume_requests, (SELECT COUNT(*) FROM testboxes) AS testboxes,
                   (SELECT COUNT(*) FROM hosts) AS hosts, (SELECT COUNT(*) FROM cluster_specs) AS cluster_specs,
                   (SELECT COUNT(*) FROM cluster_barriers) AS cluster_barriers,
                   (SELECT COALESCE(SUM(version), 0) FROM cluster_barriers) AS cluster_versions
            """);
        return rows.Single();
    }

    /// <summary>Null when the silo runs and /readyz answers 200 within 10 s; otherwise what is wrong.</summary>
    public async Task<string?> UnhealthyAsync()
    {
        if (Silo.HasExited)
        {
            return "the silo process has exited";
        }

        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await Http.GetAsync("/readyz", ready.Token);
            return response.StatusCode == HttpStatusCode.OK ? null : $"/readyz answered {(int)response.StatusCode}";
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return $"/readyz did not answer: {error.Message}";
        }
    }

    private async Task<string> ValueAsync(string name)
    {
        if (!await StillValidAsync(name))
        {
            await MakeAsync(name);
        }

        return _values[name];
    }

    /// <summary>Whether what <paramref name="name"/> points at is still in the state its name promises.</summary>
    private async Task<bool> StillValidAsync(string name)
    {
        if (!_values.TryGetValue(name, out var value))
        {
            return false;
        }

        return name switch
        {
            "pending_job" => await JobIsAsync(value, "submit"),
            "held_job" or "held_testbox" => await JobIsAsync(_values["held_job"], "boot"),
            "running_job" or "running_testbox" => await JobIsAsync(_values["running_job"], "running"),
            "finished_job" => await JobIsAsync(value, "finish"),
            "cluster_id" or "cluster_job" => await Sql.ScalarAsync<string>(ConnectionString, $"SELECT COALESCE(MAX(outcome), '') FROM cluster_barriers WHERE cluster_id = {long.Parse(_values["cluster_id"], CultureInfo.InvariantCulture)}") == "active",
            "cluster_spec_name" => true,
            _ => throw new ArgumentException($"unknown placeholder {name}", nameof(name)),
        };
    }

    private async Task<bool> JobIsAsync(string id, string stage) =>
        await Sql.ScalarAsync<long>(ConnectionString, $"SELECT COUNT(*) FROM jobs WHERE id = {long.Parse(id, CultureInfo.InvariantCulture)} AND job_stage = '{stage}' AND cancel_requested = 0") == 1;

    private async Task MakeAsync(string name)
    {
        LastCounts = null;
        var n = ++_made;
        switch (name)
        {
            case "pending_job":
                // Pinned to a testbox no case uses, so no hostile consume can take it.
                _values[name] = await SubmitAsync($"hp{_run}x{n}");
                break;
            case "held_job" or "held_testbox":
                var holder = $"hh{_run}x{n}";
                _values["held_job"] = await TakeAsync(holder);
                _values["held_testbox"] = holder;
                break;
            case "running_job" or "running_testbox":
                var runner = $"hr{_run}x{n}";
                _values["running_job"] = await TakeAsync(runner);
                _values["running_testbox"] = runner;
                await Client.StageAsync(_values["running_job"], "running", runner);
                break;
            case "finished_job":
                var finisher = $"hf{_run}x{n}";
                var finished = await TakeAsync(finisher);
                await Client.StageAsync(finished, "running", finisher);
                var (status, _) = await Client.PostAsync($"/api/v1/jobs/{finished}/finish", new JsonObject { ["health"] = "success", ["testbox"] = finisher });
                Assert.Equal(HttpStatusCode.OK, status);
                _values[name] = finished;
                break;
            case "cluster_id" or "cluster_job" or "cluster_spec_name":
                await MakeClusterAsync(n);
                break;
            default:
                throw new ArgumentException($"unknown placeholder {name}", nameof(name));
        }
    }

    private async Task MakeClusterAsync(int n)
    {
        var spec = $"hostile-spec-{_run}-{n}";
        var nodes = new JsonObject
        {
            [$"hc{_run}x{n}--1"] = new JsonObject { ["roles"] = new JsonArray("server") },
            [$"hc{_run}x{n}--2"] = new JsonObject { ["roles"] = new JsonArray("client") },
        };
        using var put = await Http.PutAsJsonAsync($"/api/v1/cluster-specs/{spec}", new JsonObject { ["nodes"] = nodes }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var submitted = await Client.SubmitAsync(new JsonObject { ["suite"] = "hostile-setup", ["my_account"] = "hostile", ["cluster"] = spec }, TestContext.Current.CancellationToken);
        _values["cluster_id"] = submitted["id"]!.GetValue<string>();
        _values["cluster_job"] = submitted["jobs"]![1]!["id"]!.GetValue<string>();
        _values["cluster_spec_name"] = spec;
    }

    private async Task<string> SubmitAsync(string testbox)
    {
        // Priority 9 puts it ahead of the jobs that wrongly accepted cases leave in the catch-all queue.
        var job = await Client.SubmitAsync(new JsonObject { ["suite"] = "hostile-setup", ["my_account"] = "hostile", ["testbox"] = testbox, ["priority"] = 9 }, TestContext.Current.CancellationToken);
        return job["id"]!.GetValue<string>();
    }

    /// <summary>A job for <paramref name="testbox"/> alone, submitted and taken by it: held, in stage boot.</summary>
    private async Task<string> TakeAsync(string testbox)
    {
        var id = await SubmitAsync(testbox);
        return await TakeOwnAsync(testbox, id);
    }

    /// <summary>
    /// Consumes as <paramref name="testbox"/> until it gets job <paramref name="id"/>: a job that a wrongly accepted case
    /// left in the catch-all queue (<c>*</c>) may come first, and is then simply held by this testbox.
    /// </summary>
    public async Task<string> TakeOwnAsync(string testbox, string id)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var taken = await Client.ConsumeAsync(testbox, new Dictionary<string, string>(), 64, 10, cancellationToken: TestContext.Current.CancellationToken);
            Assert.NotNull(taken);
            if (taken["id"]?.GetValue<string>() == id)
            {
                return id;
            }
        }

        throw new InvalidOperationException($"testbox {testbox} never got its job {id}");
    }
}
