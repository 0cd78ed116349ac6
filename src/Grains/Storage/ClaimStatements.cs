using System.Globalization;
using System.Text;
using MySqlConnector;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The statements of a batch of claims (see <see cref="JobClaimStore"/>): the consume requests that first attempts
/// record, one conditional update of every claimed row, each row getting its own claim's values through <c>CASE id</c>,
/// and one read of the rows.
/// </summary>
internal static class ClaimStatements
{
    /// <summary>
    /// The update moves a row only while it is pending and not cancelled, and, for a claim with an attempt, while that
    /// attempt is its consume request's latest (a locking read of the fence row, as <see cref="ConsumeRequestStore.FenceCondition"/>).
    /// It writes what <see cref="Lifecycle.JobTransitions.Assign"/> writes; the read returns the rows the claims now hold.
    /// A first attempt's claim (one with a token) first inserts its consume request with attempt 1 and its token, unless
    /// the request is already known (then the row is left as it is, and the token fence fails: the request was asked
    /// before, so the caller counts an attempt and looks for its job first); its update is fenced on the token.
    /// </summary>
    public static (SqlStatement? Record, SqlStatement Update, SqlStatement Read) For(IReadOnlyList<JobClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        // Each statement gets only the parameters it names: a batch copies every parameter of every command and MySqlConnector
        // indexes each command's by name, so parameters shared by all three statements tripled that work per claim.
        var recorded = new List<MySqlParameter>();
        var updated = new List<MySqlParameter>(claims.Count * 8);
        var read = new List<MySqlParameter>(claims.Count * 2);
        var ids = new StringBuilder();
        var records = new StringBuilder();
        string Case(string column, Func<int, string> value)
        {
            var text = new StringBuilder(column).Append(" = CASE id");
            for (var i = 0; i < claims.Count; i++)
            {
                text.Append(" WHEN @i").Append(i).Append(" THEN ").Append(value(i));
            }

            return text.Append(" END").ToString();
        }

        for (var i = 0; i < claims.Count; i++)
        {
            var claim = claims[i];
            var n = i.ToString(CultureInfo.InvariantCulture);
            ids.Append(i == 0 ? "" : ", ").Append("@i").Append(n);
            var (id, testbox, lease, bootTime) = (Id("@i" + n, claim.JobId), P("@t" + n, claim.Testbox), P("@l" + n, claim.LeaseId), P("@b" + n, claim.Lease.BootTime));
            updated.AddRange([
                id, testbox, P("@h" + n, claim.Host), lease, bootTime, P("@d" + n, claim.Lease.Deadline),
                P("@e" + n, Watch.HistoryStamp.Stamp(claim.Lease.Entry, JobStages.Boot, null).ToJson()),
            ]);
            read.AddRange([id, lease]);
            if (claim.Token is not null)
            {
                var token = P("@k" + n, claim.Token);
                updated.Add(token);
                recorded.AddRange([lease, testbox, bootTime, token]);
                records.Append(records.Length == 0 ? "" : ", ").Append($"(@l{n}, @t{n}, 1, @b{n}, @k{n})");
            }
            else if (claim.Attempt > 0)
            {
                updated.Add(P("@a" + n, claim.Attempt));
            }
        }

        // "ON DUPLICATE KEY UPDATE request_id = request_id" keeps a known request as it is (and locks it), without
        // INSERT IGNORE's turning of other errors into warnings.
        var record = records.Length == 0 ? null : new SqlStatement(
            $"INSERT INTO consume_requests (request_id, testbox, attempt, created_at, token) VALUES {records} ON DUPLICATE KEY UPDATE request_id = request_id",
            [.. recorded]);

        var fenced = claims.Any(c => c.Attempt > 0 || c.Token is not null);
        var update =
            "UPDATE jobs SET job_stage = 'boot', " +
            Case("testbox", i => $"@t{i}") + ", " +
            Case("host", i => $"@h{i}") + ", " +
            Case("lease_id", i => $"@l{i}") + ", " +
            Case("boot_time", i => $"@b{i}") + ", " +
            Case("deadline", i => $"@d{i}") + ", " +
            "version = version + 1, " +
            Case("events", i => $"JSON_ARRAY_APPEND(COALESCE(events, '[]'), '$', JSON_EXTRACT(@e{i}, '$'))") + ", " +
            Case("changed_at", i => $"GREATEST(COALESCE(changed_at, 0), @b{i})") + ", " +
            JobStore.ReleaseGrowthRoom +
            $" WHERE id IN ({ids}) AND job_stage = 'submit' AND cancel_requested = 0" +
            (fenced ? " AND CASE id" + string.Concat(claims.Select((c, i) => $" WHEN @i{i} THEN {Fence(c, i)}")) + " END" : "");
        // The rows now held under the claims' leases: those the update moved (and any a retry of the same request holds).
        var held = new SqlStatement(
            $"SELECT {JobRows.Columns} FROM jobs WHERE " + string.Join(" OR ", claims.Select((_, i) => $"(id = @i{i} AND lease_id = @l{i})")),
            [.. read]);
        return (record, new SqlStatement(update, [.. updated]), held);
    }

    /// <summary>The rows of <paramref name="ids"/>, as <see cref="JobRows"/> reads them.</summary>
    public static SqlStatement ReadRows(IReadOnlyList<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return new SqlStatement(
            $"SELECT {JobRows.Columns} FROM jobs WHERE id IN ({string.Join(", ", ids.Select((_, i) => $"@r{i}"))})",
            [.. ids.Select((id, i) => Id($"@r{i}", id))]);
    }

    /// <summary>Whether <paramref name="row"/> is held by <paramref name="claim"/>: handed to its testbox under its lease.</summary>
    public static bool HeldBy(JobRecord row, JobClaim claim) =>
        row.Stage == JobStages.Boot && row.LeaseId == claim.LeaseId && row.Testbox == claim.Testbox;

    private static string Fence(JobClaim claim, int i) =>
        claim.Token is not null ? $"(SELECT token FROM consume_requests WHERE testbox = @t{i} AND request_id = @l{i} LOCK IN SHARE MODE) = @k{i}"
        : claim.Attempt > 0 ? $"(SELECT attempt FROM consume_requests WHERE testbox = @t{i} AND request_id = @l{i} LOCK IN SHARE MODE) = @a{i}"
        : "TRUE";
}
