using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>
/// A write that is one row of an <c>INSERT</c>, so that rows of the same <paramref name="Head"/> arriving together can
/// share one multi-row statement in their shared commit (see <see cref="GroupCommitter"/>): one statement for a commit's
/// new jobs instead of one per job. <paramref name="Values"/> gives the row's <c>(…)</c> with its parameters, their
/// names prefixed by the prefix it is given so that rows in one statement do not collide.
/// </summary>
internal sealed record RowInsert(string Head, Func<string, (string Values, MySqlParameter[] Parameters)> Values)
{
    /// <summary>The row as an insert of its own, its parameters unprefixed.</summary>
    public SqlStatement Alone()
    {
        var (values, parameters) = Values("");
        return new SqlStatement(Head + values, parameters);
    }
}
