namespace CompassCi.Grains.Jobs;

/// <summary>
/// Time-ordered 63-bit job ids: milliseconds since 2025-01-01 (41 bits), a node number (10 bits) and a
/// sequence (12 bits). Ids sort by submit time, which gives "newest first" pages and lets a queue find
/// recent jobs by id range. The node number is random per process; the rare collision between two
/// processes is caught by the primary key and answered with a fresh id.
/// </summary>
public sealed class JobIdGenerator
{
    private const int NodeBits = 10;
    private const int SequenceBits = 12;
    private const long MaxSequence = (1L << SequenceBits) - 1;
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TimeProvider _clock;
    private readonly long _node;
    private readonly Lock _gate = new();
    private long _lastMillis = -1;
    private long _sequence;

    public JobIdGenerator(TimeProvider clock)
        : this(clock, Random.Shared.Next(1 << NodeBits))
    {
    }

    public JobIdGenerator(TimeProvider clock, int node)
    {
        _clock = clock;
        _node = node & ((1 << NodeBits) - 1);
    }

    /// <summary>A new id, unique within this process.</summary>
    public long Next()
    {
        lock (_gate)
        {
            var millis = Math.Max(MillisSinceEpoch(_clock.GetUtcNow()), _lastMillis);
            if (millis == _lastMillis)
            {
                _sequence++;
                if (_sequence > MaxSequence)
                {
                    // Borrow the next millisecond rather than spin: ids stay unique and nearly time-ordered.
                    millis++;
                    _sequence = 0;
                }
            }
            else
            {
                _sequence = 0;
            }

            _lastMillis = millis;
            return (millis << (NodeBits + SequenceBits)) | (_node << SequenceBits) | _sequence;
        }
    }

    /// <summary>The smallest id any process could have given out at <paramref name="time"/>.</summary>
    public static long MinIdAt(DateTimeOffset time) => Math.Max(0, MillisSinceEpoch(time)) << (NodeBits + SequenceBits);

    private static long MillisSinceEpoch(DateTimeOffset time) => (long)(time - Epoch).TotalMilliseconds;
}
