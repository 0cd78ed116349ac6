using System.Text.Json.Nodes;
using CompassCi.Grains.Results.Pipeline;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Results.Regression;

/// <summary>
/// Compares a run's errids with the earlier runs of the same test (same <c>all_params_md5</c>, as compass-ci groups
/// them) and records on the job those none of the last <see cref="RegressionOptions.EarlierRuns"/> showed, as
/// <c>new_errids</c>. Running it again recomputes and overwrites the same answer.
/// </summary>
public sealed class RegressionPlugin(JobResultsStore results, IOptions<RegressionOptions> options) : IPostExtractPlugin
{
    public string Name => "regression";

    public async Task<JsonObject?> RunAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Job.AllParamsMd5 is not { Length: > 0 } md5)
        {
            return new JsonObject { ["skipped"] = "the job has no all_params_md5" };
        }

        var earlier = await results.EarlierRunsAsync(md5, context.Job.Id, options.Value.EarlierRuns);
        var found = NewErrids.Of(context.Errids, [.. earlier.Select(r => r.Errids)]);
        await results.SetNewErridsAsync(context.Job.Id, found);
        return new JsonObject
        {
            ["new_errids"] = new JsonArray([.. found.Select(e => (JsonNode)e)]),
            ["earlier_runs"] = new JsonArray([.. earlier.Select(r => (JsonNode)r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
        };
    }
}
