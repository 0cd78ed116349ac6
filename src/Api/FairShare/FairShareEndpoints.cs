using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Grains.FairShare;
using CompassCi.Grains.Storage;

namespace CompassCi.Api.FairShare;

/// <summary>
/// Where each account stands in fair-share: <c>/api/v1/fairshare</c> (every account with jobs or an account row) and
/// <c>/api/v1/accounts/{account}/usage</c> (one). Read from this silo's ledger: other silos' last second may be missing.
/// </summary>
public static class FairShareEndpoints
{
    public static IEndpointRouteBuilder MapFairShareEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/fairshare", ListAsync)
            .WithTags("Fair share")
            .WithSummary("Every account: shares, share fraction, decayed usage, held jobs, usage share, the Slurm fair-share factor and its place in line.")
            .Produces<JsonObject>();
        app.MapGet("/api/v1/accounts/{account}/usage", OneAsync)
            .WithTags("Fair share")
            .WithSummary("One account's fair-share standing; 404 for an account with no jobs and no account row.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ListAsync(UsageLedger ledger, FairShareStore store) =>
        Results.Json(new JsonObject { ["accounts"] = new JsonArray([.. await RowsAsync(ledger, store)]) });

    private static async Task<IResult> OneAsync(string account, UsageLedger ledger, FairShareStore store) =>
        (await RowsAsync(ledger, store)).FirstOrDefault(row => (string?)row["my_account"] == account) is { } found
            ? Results.Json(found)
            : Problems.NotFound("account", $"no account '{account}' has jobs or an account row");

    private static async Task<List<JsonObject>> RowsAsync(UsageLedger ledger, FairShareStore store)
    {
        var (known, meanJobUsage) = ledger.Current();
        var standings = known.ToDictionary(a => a.Account, StringComparer.Ordinal);
        foreach (var name in await store.ListAccountsWithJobsAsync())
        {
            if (!standings.ContainsKey(name))
            {
                standings[name] = new AccountStanding(name, 1, 0, 0, ledger.CapOf(name)?.Cap, false);
            }
        }

        var totalShares = standings.Values.Sum(a => (double)a.Shares);
        var totalUsage = standings.Values.Sum(a => a.Usage);
        var order = 0;
        return [.. standings.Values
            .Select(a => (Standing: a, Rank: ledger.Rank(a.Account)))
            .OrderBy(a => a.Rank)
            .ThenBy(a => a.Standing.Account, StringComparer.Ordinal)
            .Select(a =>
            {
                var shareFraction = totalShares > 0 ? a.Standing.Shares / totalShares : 0;
                var usageShare = totalUsage > 0 ? a.Standing.Usage / totalUsage : 0;
                return new JsonObject
                {
                    ["my_account"] = a.Standing.Account,
                    ["registered"] = a.Standing.Registered,
                    ["shares"] = a.Standing.Shares,
                    ["share_fraction"] = shareFraction,
                    ["usage_seconds"] = a.Standing.Usage,
                    ["held_jobs"] = a.Standing.Held,
                    ["running_cap"] = a.Standing.RunningCap,
                    ["usage_share"] = usageShare,
                    ["fair_share_factor"] = FairShareMath.Factor(usageShare, shareFraction),
                    ["rank"] = a.Rank,
                    ["order"] = ++order,
                    ["mean_job_usage_seconds"] = meanJobUsage,
                };
            })];
    }
}
