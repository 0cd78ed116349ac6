using System.Reflection;
using CompassCi.Api.Http;
using MySqlConnector;

namespace CompassCi.Tests.Unit.Http;

public class DatabaseFailuresTests
{
    // MySqlConnector makes its exceptions itself; the tests build them as the driver does.
    private static MySqlException Server(MySqlErrorCode code, string sqlState, string message) =>
        (MySqlException)typeof(MySqlException)
            .GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, [typeof(MySqlErrorCode), typeof(string), typeof(string)])!
            .Invoke([code, sqlState, message]);

    private static Exception EndOfStream() =>
        (Exception)typeof(MySqlException).Assembly.GetType("MySqlConnector.MySqlEndOfStreamException")!
            .GetConstructors(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance)
            .Single(c => c.GetParameters().Length == 2)
            .Invoke([4, 0]);

    public static TheoryData<string, Exception> DataErrors() => new()
    {
        { "suite", Server(MySqlErrorCode.DataTooLong, "22001", "Data too long for column 'suite' at row 1") },
        { "priority", Server(MySqlErrorCode.WarningDataOutOfRange, "22003", "Out of range value for column 'priority' at row 1") },
        { "suite", Server(MySqlErrorCode.TruncatedWrongValueForField, "22007", "Incorrect string value: '\\xF0\\x9F\\x98' for column `compass`.`jobs`.`suite` at row 1") },
        // Crossed a silo: Orleans keeps the type and the sentence, not the error number (measured, Orleans 10.4).
        { "host", Server(MySqlErrorCode.None, null!, "Data too long for column 'host' at row 1") },
        // Or, without the type, only the sentence.
        { "queue_key", new System.Data.DataException("Data too long for column 'queue_key' at row 3") },
        { "arch", new InvalidOperationException("wrapped", Server(MySqlErrorCode.DataTooLong, "22001", "Data too long for column 'arch' at row 1")) },
    };

    [Theory]
    [MemberData(nameof(DataErrors))]
    public void ADataErrorIsNeverTransientAndNamesItsColumn(string column, Exception error)
    {
        Assert.Equal(DatabaseFailureKind.Data, DatabaseFailures.Classify(error));
        var found = DatabaseFailures.DataError(error);
        Assert.NotNull(found);
        Assert.Equal(column, found.Value.Column);
        Assert.DoesNotContain("at row", found.Value.Problem, StringComparison.Ordinal);
    }

    public static TheoryData<string, Exception> ConnectionFailures() => new()
    {
        { "end of stream (server killed mid-answer)", EndOfStream() },
        { "connection refused", Server(MySqlErrorCode.UnableToConnectToHost, "08S01", "Unable to connect to any of the specified MySQL hosts.") },
        { "command timeout (server stopped)", Server(MySqlErrorCode.CommandTimeoutExpired, "HY000", "The Command Timeout expired before the operation completed.") },
        { "deadlock", Server(MySqlErrorCode.LockDeadlock, "40001", "Deadlock found when trying to get lock; try restarting transaction") },
        { "lock wait timeout", Server(MySqlErrorCode.LockWaitTimeout, "HY000", "Lock wait timeout exceeded; try restarting transaction") },
        { "server shutting down", Server(MySqlErrorCode.ServerShutdown, "08S01", "Server shutdown in progress") },
        { "socket reset", new System.Net.Sockets.SocketException(104) },
        { "timeout", new TimeoutException() },
        { "wrapped end of stream", new InvalidOperationException("grain call failed", EndOfStream()) },
        { "aggregate of connection failures", new AggregateException(EndOfStream(), new TimeoutException()) },
    };

    [Theory]
    [MemberData(nameof(ConnectionFailures))]
    public void AConnectionLevelFailureIsTransient(string what, Exception error)
    {
        Assert.True(DatabaseFailures.Classify(error) == DatabaseFailureKind.Transient, what);
        Assert.Null(DatabaseFailures.DataError(error));
    }

    [Fact]
    public void OurOwnBugIsNeitherTransientNorTheClientsFault()
    {
        Assert.Equal(DatabaseFailureKind.None, DatabaseFailures.Classify(new InvalidOperationException("a bug")));
        Assert.Equal(DatabaseFailureKind.None, DatabaseFailures.Classify(new AggregateException(new TimeoutException(), new ArgumentException("x"))));
    }
}
