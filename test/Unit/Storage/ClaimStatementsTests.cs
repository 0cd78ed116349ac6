using System.Text.RegularExpressions;
using CompassCi.Grains.Jobs;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Storage;

namespace CompassCi.Tests.Unit.Storage;

public sealed partial class ClaimStatementsTests
{
    private static readonly JobLease Lease = new(1_000, 61_000, new JobHistoryEntry(1_000, "assigned"));

    /// <summary>One claim of each kind: a first attempt (token), a counted attempt, a request that cannot be retried.</summary>
    private static readonly JobClaim[] Mixed =
    [
        new(11, "vm-a", "req-1", 1, "host-a", Lease, Token: "tok1"),
        new(12, "vm-b", "req-2", 3, null, Lease),
        new(13, "vm-c", "lease-3", 0, "host-c", Lease),
    ];

    [Fact]
    public void A_mixed_batch_records_first_attempts_moves_every_row_once_fenced_by_its_kind_and_reads_back_by_id_and_lease()
    {
        var (record, update, read) = ClaimStatements.For(Mixed);

        Assert.Equal(
            "INSERT INTO consume_requests (request_id, testbox, attempt, created_at, token) VALUES (@l0, @t0, 1, @b0, @k0) ON DUPLICATE KEY UPDATE request_id = request_id",
            record!.Text);
        Assert.Equal(
            "UPDATE jobs SET job_stage = 'boot', " +
            "testbox = CASE id WHEN @i0 THEN @t0 WHEN @i1 THEN @t1 WHEN @i2 THEN @t2 END, " +
            "host = CASE id WHEN @i0 THEN @h0 WHEN @i1 THEN @h1 WHEN @i2 THEN @h2 END, " +
            "lease_id = CASE id WHEN @i0 THEN @l0 WHEN @i1 THEN @l1 WHEN @i2 THEN @l2 END, " +
            "boot_time = CASE id WHEN @i0 THEN @b0 WHEN @i1 THEN @b1 WHEN @i2 THEN @b2 END, " +
            "deadline = CASE id WHEN @i0 THEN @d0 WHEN @i1 THEN @d1 WHEN @i2 THEN @d2 END, " +
            "version = version + 1, " +
            "events = CASE id WHEN @i0 THEN JSON_ARRAY_APPEND(COALESCE(events, '[]'), '$', JSON_EXTRACT(@e0, '$'))" +
            " WHEN @i1 THEN JSON_ARRAY_APPEND(COALESCE(events, '[]'), '$', JSON_EXTRACT(@e1, '$'))" +
            " WHEN @i2 THEN JSON_ARRAY_APPEND(COALESCE(events, '[]'), '$', JSON_EXTRACT(@e2, '$')) END, " +
            "changed_at = CASE id WHEN @i0 THEN GREATEST(COALESCE(changed_at, 0), @b0) WHEN @i1 THEN GREATEST(COALESCE(changed_at, 0), @b1)" +
            " WHEN @i2 THEN GREATEST(COALESCE(changed_at, 0), @b2) END, " +
            "growth_room = NULL" +
            " WHERE id IN (@i0, @i1, @i2) AND job_stage = 'submit' AND cancel_requested = 0 AND CASE id" +
            " WHEN @i0 THEN (SELECT token FROM consume_requests WHERE testbox = @t0 AND request_id = @l0 LOCK IN SHARE MODE) = @k0" +
            " WHEN @i1 THEN (SELECT attempt FROM consume_requests WHERE testbox = @t1 AND request_id = @l1 LOCK IN SHARE MODE) = @a1" +
            " WHEN @i2 THEN TRUE END",
            update.Text);
        Assert.Equal(
            $"SELECT {JobRows.Columns} FROM jobs WHERE (id = @i0 AND lease_id = @l0) OR (id = @i1 AND lease_id = @l1) OR (id = @i2 AND lease_id = @l2)",
            read.Text);
    }

    [Fact]
    public void A_batch_without_attempts_records_nothing_and_is_not_fenced()
    {
        var (record, update, _) = ClaimStatements.For([new JobClaim(21, "vm-a", "lease-1", 0, null, Lease), new JobClaim(22, "vm-b", "lease-2", 0, null, Lease)]);

        Assert.Null(record);
        Assert.EndsWith(" WHERE id IN (@i0, @i1) AND job_stage = 'submit' AND cancel_requested = 0", update.Text);
    }

    [Fact]
    public void Every_statement_names_exactly_the_parameters_it_carries_with_each_claims_values()
    {
        var (record, update, read) = ClaimStatements.For(Mixed);

        foreach (var statement in new[] { record!, update, read })
        {
            var named = ParameterName().Matches(statement.Text).Select(m => m.Value).ToHashSet();
            Assert.Equal(named.Order(), statement.Parameters.Select(p => p.ParameterName).Order());
        }

        var values = update.Parameters.ToDictionary(p => p.ParameterName, p => p.Value);
        Assert.Equal(12UL, values["@i1"]);
        Assert.Equal("vm-c", values["@t2"]);
        Assert.Equal("host-a", values["@h0"]);
        Assert.Equal(DBNull.Value, values["@h1"]);
        Assert.Equal("lease-3", values["@l2"]);
        Assert.Equal(1_000L, values["@b0"]);
        Assert.Equal(61_000L, values["@d1"]);
        Assert.Equal("tok1", values["@k0"]);
        Assert.Equal(3, values["@a1"]);
        Assert.Contains("\"assigned\"", (string)values["@e2"]!, StringComparison.Ordinal);
    }

    [GeneratedRegex("@[a-z][0-9]+")]
    private static partial Regex ParameterName();
}
