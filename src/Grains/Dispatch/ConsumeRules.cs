using System.Globalization;
using CompassCi.Grains.Storage;

namespace CompassCi.Grains.Dispatch;

/// <summary>
/// The value rules of a consume's fields (<c>memory_gb</c>, <c>wait_seconds</c>, <c>request_id</c>), shared by the REST
/// body reader and <see cref="IJobsGrain.Consume"/>, so both refuse alike. Each check answers its field's message or null.
/// </summary>
public static class ConsumeRules
{
    /// <summary>The most GiB a testbox may offer.</summary>
    public const double MaxMemoryGb = 64 * 1024;

    /// <summary>The message for <c>memory_gb</c> out of range.</summary>
    public const string MemoryMessage = "must be a number of GiB from 0 to 65536";

    /// <summary>True when <paramref name="gb"/> is a memory a testbox may offer.</summary>
    public static bool MemoryAllowed(double gb) => gb >= 0 && gb <= MaxMemoryGb;

    /// <summary>The offered memory in MiB, as the matcher compares it.</summary>
    public static long MemoryMb(double gb) => (long)Math.Floor(gb * 1024);

    /// <summary>The message for <c>wait_seconds</c> out of 0..<paramref name="maxWait"/>.</summary>
    public static string WaitMessage(int maxWait) =>
        $"must be a whole number of seconds from 0 to {maxWait.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The message for a <c>request_id</c> that cannot be one, or null.</summary>
    public static string? RequestIdError(string requestId) =>
        requestId is { Length: > 0 and <= ColumnLimits.RequestId } && !requestId.Any(char.IsControl)
            ? null
            : $"must be a non-empty string of at most {ColumnLimits.RequestId} printable characters";
}
