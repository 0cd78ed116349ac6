using MySqlConnector;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The results columns of <c>jobs</c> that live outside the job grain's versioned row: <c>job_data_readiness</c>.
/// (<c>result_root</c> and <c>all_params_md5</c> are generated from the document; see migration 0018.)
/// </summary>
public sealed class ResultStore(MySqlDataSource dataSource)
{
    /// <summary>The readiness an accepted upload sets: data is arriving.</summary>
    public const string Uploading = "uploading";

    /// <summary>
    /// Marks job <paramref name="id"/> as <c>uploading</c> if nothing marked it yet: only the first accepted upload
    /// changes it, and a later one never undoes the pipeline's <c>complete</c> or <c>incomplete</c>.
    /// </summary>
    public Task MarkUploadingAsync(long id) => dataSource.ExecuteAsync(new SqlStatement(
        "UPDATE jobs SET job_data_readiness = @readiness WHERE id = @id AND job_data_readiness IS NULL",
        P("@readiness", Uploading), P("@id", (ulong)id)));

    /// <summary>The job's <c>job_data_readiness</c>; null before any upload, or when there is no such job.</summary>
    public Task<string?> ReadinessAsync(long id) => dataSource.TextAsync(new SqlStatement(
        "SELECT job_data_readiness FROM jobs WHERE id = @id", P("@id", (ulong)id)));
}
