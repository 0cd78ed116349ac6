using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Logging;
using Microsoft.Extensions.Logging;

namespace CompassCi.Api.Jobs;

/// <summary>A submit's log scope: what is logged while a job is stored and enqueued names the account submitting it.</summary>
public static class SubmitLogScope
{
    /// <summary>
    /// Opens the scope with the job's <c>my_account</c> (checked and filled in by then); none when the job names no
    /// account (open mode leaves that to the submitter's default).
    /// </summary>
    public static IDisposable? Begin(ILogger logger, JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(document);
        return document["my_account"] is { } account && account.GetValueKind() == JsonValueKind.String
            ? logger.BeginScope(LogScope.Of(LogFields.Account, account.GetValue<string>()))
            : null;
    }
}
