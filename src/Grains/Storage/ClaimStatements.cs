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
        // The text is written into one builder per statement, with the parameters' names drawn from a cache: a batch of
        // n claims names each id n + 2 times, and building it from interpolated pieces was a fifth of what a consume
        // allocated.
        var count = claims.Count;
        var recorded = new List<MySqlParameter>();
        var updated = new List<MySqlParameter>(count * 8);
        var read = new List<MySqlParameter>(count * 2);
        var records = new StringBuilder();
        var fenced = false;
        for (var i = 0; i < count; i++)
        {
            var claim = claims[i];
            var (id, testbox, lease, bootTime) = (Id(Name('i', i), claim.JobId), P(Name('t', i), claim.Testbox), P(Name('l', i), claim.LeaseId), P(Name('b', i), claim.Lease.BootTime));
            updated.AddRange([
                id, testbox, P(Name('h', i), claim.Host), lease, bootTime, P(Name('d', i), claim.Lease.Deadline),
                P(Name('e', i), Watch.HistoryStamp.Stamp(claim.Lease.Entry, JobStages.Boot, null).ToJson()),
            ]);
            read.AddRange([id, lease]);
            if (claim.Token is not null)
            {
                var token = P(Name('k', i), claim.Token);
                updated.Add(token);
                recorded.AddRange([lease, testbox, bootTime, token]);
                records.Append(records.Length == 0 ? "" : ", ")
                    .Append('(').Append(Name('l', i)).Append(", ").Append(Name('t', i)).Append(", 1, ").Append(Name('b', i)).Append(", ").Append(Name('k', i)).Append(')');
            }
            else if (claim.Attempt > 0)
            {
                updated.Add(P(Name('a', i), claim.Attempt));
            }

            fenced |= claim.Attempt > 0 || claim.Token is not null;
        }

        // "ON DUPLICATE KEY UPDATE request_id = request_id" keeps a known request as it is (and locks it), without
        // INSERT IGNORE's turning of other errors into warnings.
        var record = records.Length == 0 ? null : new SqlStatement(
            $"INSERT INTO consume_requests (request_id, testbox, attempt, created_at, token) VALUES {records} ON DUPLICATE KEY UPDATE request_id = request_id",
            [.. recorded]);

        var update = new StringBuilder(count * 400).Append("UPDATE jobs SET job_stage = 'boot', ");
        AppendCase(update, "testbox", count, "", 't', "");
        AppendCase(update, "host", count, "", 'h', "");
        AppendCase(update, "lease_id", count, "", 'l', "");
        AppendCase(update, "boot_time", count, "", 'b', "");
        AppendCase(update, "deadline", count, "", 'd', "");
        update.Append("version = version + 1, ");
        AppendCase(update, "events", count, "JSON_ARRAY_APPEND(COALESCE(events, '[]'), '$', JSON_EXTRACT(", 'e', ", '$'))");
        AppendCase(update, "changed_at", count, "GREATEST(COALESCE(changed_at, 0), ", 'b', ")");
        update.Append(JobStore.ReleaseGrowthRoom).Append(" WHERE id IN (");
        for (var i = 0; i < count; i++)
        {
            update.Append(i == 0 ? "" : ", ").Append(Name('i', i));
        }

        update.Append(") AND job_stage = 'submit' AND cancel_requested = 0");
        if (fenced)
        {
            update.Append(" AND CASE id");
            for (var i = 0; i < count; i++)
            {
                update.Append(" WHEN ").Append(Name('i', i)).Append(" THEN ");
                AppendFence(update, claims[i], i);
            }

            update.Append(" END");
        }

        // The rows now held under the claims' leases: those the update moved (and any a retry of the same request holds).
        var held = new StringBuilder(JobRows.Columns.Length + (count * 40)).Append("SELECT ").Append(JobRows.Columns).Append(" FROM jobs WHERE ");
        for (var i = 0; i < count; i++)
        {
            held.Append(i == 0 ? "(id = " : " OR (id = ").Append(Name('i', i)).Append(" AND lease_id = ").Append(Name('l', i)).Append(')');
        }

        return (record, new SqlStatement(update.ToString(), [.. updated]), new SqlStatement(held.ToString(), [.. read]));
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

    /// <summary><c>column = CASE id WHEN @i0 THEN before@x0after … END, </c>: each row gets its own claim's value.</summary>
    private static void AppendCase(StringBuilder text, string column, int count, string before, char letter, string after)
    {
        text.Append(column).Append(" = CASE id");
        for (var i = 0; i < count; i++)
        {
            text.Append(" WHEN ").Append(Name('i', i)).Append(" THEN ").Append(before).Append(Name(letter, i)).Append(after);
        }

        text.Append(" END, ");
    }

    private static void AppendFence(StringBuilder text, JobClaim claim, int i)
    {
        if (claim.Token is null && claim.Attempt <= 0)
        {
            text.Append("TRUE");
            return;
        }

        var (column, value) = claim.Token is not null ? ("token", 'k') : ("attempt", 'a');
        text.Append("(SELECT ").Append(column).Append(" FROM consume_requests WHERE testbox = ").Append(Name('t', i))
            .Append(" AND request_id = ").Append(Name('l', i)).Append(" LOCK IN SHARE MODE) = ").Append(Name(value, i));
    }

    /// <summary>The parameter <c>@x7</c>: from a cache up to the default batch size, made beyond it.</summary>
    private static string Name(char letter, int index) =>
        index < CachedNames ? (Names[letter - 'a'] ??= NamesOf(letter))[index] : "@" + letter + index.ToString(CultureInfo.InvariantCulture);

    private const int CachedNames = 256;

    /// <summary>The cached names, by letter, each made on its first use (two threads making the same list at once is harmless).</summary>
    private static readonly string[]?[] Names = new string[]?[26];

    private static string[] NamesOf(char letter) =>
        [.. Enumerable.Range(0, CachedNames).Select(i => "@" + letter + i.ToString(CultureInfo.InvariantCulture))];
}
