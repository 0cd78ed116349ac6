using MySqlConnector;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace CompassCi.Client.Cluster;

/// <summary>
/// Which failures of a grain call are the cluster's passing trouble, worth the same call again: a silo gone or going
/// (<see cref="SiloUnavailableException"/>, a rejected message — <see cref="OrleansMessageRejectionException"/>), a
/// lost or refused gateway (<see cref="ConnectionFailedException"/>, <see cref="GatewayTooBusyException"/>), a call
/// that got no answer in time (<see cref="TimeoutException"/>), or the database reporting itself briefly unavailable
/// (<see cref="MySqlException.IsTransient"/>). Everything else — the scheduler's own refusals, bugs, argument errors —
/// is answered as it is: repeating it would fail alike.
/// </summary>
public static class TransientClusterFailures
{
    /// <summary>True when <paramref name="exception"/> (or what it wraps) is worth retrying.</summary>
    public static bool IsTransient(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case OrleansMessageRejectionException: // SiloUnavailableException is one
                case ConnectionFailedException:
                case GatewayTooBusyException:
                case TimeoutException:
                case MySqlException { IsTransient: true }:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsTransient):
                    return true;
            }
        }

        return false;
    }
}
