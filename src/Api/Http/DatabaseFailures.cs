using System.Data.Common;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MySqlConnector;

namespace CompassCi.Api.Http;

/// <summary>What a failure of the database (or of anything between us and it) means for the client.</summary>
public enum DatabaseFailureKind
{
    /// <summary>Not a database or connection failure: our bug, a 500.</summary>
    None,

    /// <summary>The database is unreachable, slow, restarting or lost a lock race: retrying may succeed (503).</summary>
    Transient,

    /// <summary>A value the server refused (too long, out of range, wrong encoding): retrying never succeeds (400).</summary>
    Data,
}

/// <summary>
/// Tells a transient failure (connection lost, timed out, deadlock) from a data error (a value that does not fit its
/// column) so that a client is never told to retry a request that can never succeed. A data error reaching the
/// database means validation missed a limit; the caller answers 400 naming the column.
/// </summary>
/// <remarks>
/// A <see cref="MySqlException"/> thrown in this process arrives as itself. One thrown in a grain on another silo
/// crosses Orleans' serializer (told about MySqlConnector's namespace in OrleansHosting), which keeps its type and
/// message but not its error number or SQLSTATE, so data errors are also recognised by the server's own sentence.
/// </remarks>
public static partial class DatabaseFailures
{
    // MariaDB's data exceptions (SQLSTATE class 22) and the few it files under other states.
    private static readonly HashSet<MySqlErrorCode> DataErrors =
    [
        MySqlErrorCode.DataTooLong,
        MySqlErrorCode.WarningDataOutOfRange,
        MySqlErrorCode.WarningDataTruncated,
        MySqlErrorCode.TruncatedWrongValue,
        MySqlErrorCode.TruncatedWrongValueForField,
        MySqlErrorCode.DataOutOfRange,
        MySqlErrorCode.NumericJsonValueOutOfRange,
        MySqlErrorCode.TooLongString,
    ];

    /// <summary>The kind of <paramref name="exception"/>, looking through wrappers (aggregate and inner exceptions).</summary>
    public static DatabaseFailureKind Classify(Exception exception) => DataError(exception) is not null
        ? DatabaseFailureKind.Data
        : IsTransient(exception) ? DatabaseFailureKind.Transient : DatabaseFailureKind.None;

    /// <summary>The data error in <paramref name="exception"/> or its inner exceptions: the column and the server's words; null when there is none.</summary>
    public static (string Column, string Problem)? DataError(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(DataError).FirstOrDefault(d => d is not null);
            }

            // Orleans brings a MySqlException from another silo back without its error number and SQLSTATE: the sentence
            // is what is left then.
            var isData = (e is MySqlException mysql
                    && (DataErrors.Contains(mysql.ErrorCode) || mysql.SqlState?.StartsWith("22", StringComparison.Ordinal) == true))
                || DataErrorSentence().IsMatch(e.Message);
            if (isData)
            {
                var column = ColumnName().Match(e.Message) is { Success: true } m ? LastName(m.Groups["name"].Value) : "value";
                return (column, AtRow().Replace(e.Message, "").Trim());
            }
        }

        return null;
    }

    private static bool IsTransient(Exception exception) => exception switch
    {
        // Any MySqlException that is not a data error: connection-level (lost, refused, timed out, too many), lock races
        // (deadlock, lock wait timeout), a server shutting down or out of room. All of them may pass.
        MySqlException or DbException => true,
        // MySqlEndOfStreamException (the server vanished mid-answer) is an IOException; a refused or reset socket too.
        IOException or SocketException or TimeoutException => true,
        SiloUnavailableException or OrleansMessageRejectionException or OrleansException => true,
        CompassCi.Grains.Jobs.JobIdsUnavailableException => true,
        // A MySqlConnector exception thrown on another silo whose type did not survive the trip.
        Orleans.Serialization.UnavailableExceptionFallbackException fallback
            when fallback.ExceptionType?.StartsWith("MySqlConnector.", StringComparison.Ordinal) == true => true,
        AggregateException a => a.InnerExceptions.All(IsTransient),
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    // `db`.`table`.`column` → column.
    private static string LastName(string name) => name.Split('.')[^1].Trim('`', '\'');

    [GeneratedRegex(@"^(Data too long|Out of range value|Data truncated|Incorrect [a-z ]+ value)\b.*\bfor column\b", RegexOptions.CultureInvariant)]
    private static partial Regex DataErrorSentence();

    [GeneratedRegex(@"for column (?<name>'[^']+'|(`[^`]+`\.?)+)", RegexOptions.CultureInvariant)]
    private static partial Regex ColumnName();

    [GeneratedRegex(@"\s+at row \d+\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex AtRow();
}
