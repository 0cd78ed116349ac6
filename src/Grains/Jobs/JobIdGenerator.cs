using System.Diagnostics;

namespace CompassCi.Grains.Jobs;

/// <summary>
/// Time-ordered 63-bit job ids: milliseconds since 2025-01-01 (41 bits), a node number (10 bits) and a sequence
/// (12 bits). Ids sort by submit time, which gives "newest first" pages and lets a queue find recent jobs by id range.
/// In a silo the node number is leased from the database (<see cref="JobIdNodeLease"/>), so no two running silos share
/// one and two ids can never clash; the generator draws no id while it holds no valid lease.
/// </summary>
public sealed class JobIdGenerator
{
    private const int NodeBits = 10;
    private const int SequenceBits = 12;
    private const long MaxSequence = (1L << SequenceBits) - 1;
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private long _node = -1;
    private long _validUntil = long.MaxValue;
    private long _lastMillis = -1;
    private long _sequence;

    /// <summary>A generator that draws ids once <see cref="Hold"/> has given it a node number.</summary>
    public JobIdGenerator(TimeProvider clock)
    {
        _clock = clock;
    }

    /// <summary>A generator with a fixed node number (for tests and tools that run alone).</summary>
    public JobIdGenerator(TimeProvider clock, int node)
    {
        _clock = clock;
        _node = node & ((1 << NodeBits) - 1);
    }

    /// <summary>The node number ids are drawn under; -1 while none is held.</summary>
    public int Node
    {
        get
        {
            lock (_gate)
            {
                return (int)_node;
            }
        }
    }

    /// <summary>
    /// Draws ids under <paramref name="node"/> until the <see cref="Stopwatch"/> timestamp <paramref name="validUntil"/>
    /// (the lease's end as this process can be sure of it; renewing moves it).
    /// </summary>
    public void Hold(int node, long validUntil)
    {
        lock (_gate)
        {
            _node = node & ((1 << NodeBits) - 1);
            _validUntil = validUntil;
        }
    }

    /// <summary>Stops drawing ids: the lease was lost.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _node = -1;
        }
    }

    /// <summary>A new id, unique among every silo of the cluster; throws <see cref="JobIdsUnavailableException"/> without a valid lease.</summary>
    public long Next()
    {
        lock (_gate)
        {
            if (_node < 0 || Stopwatch.GetTimestamp() > _validUntil)
            {
                throw new JobIdsUnavailableException();
            }

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

    /// <summary>The node number an id was drawn under.</summary>
    public static int NodeOf(long id) => (int)((id >> SequenceBits) & ((1 << NodeBits) - 1));

    /// <summary>The smallest id any process could have given out at <paramref name="time"/>.</summary>
    public static long MinIdAt(DateTimeOffset time) => Math.Max(0, MillisSinceEpoch(time)) << (NodeBits + SequenceBits);

    private static long MillisSinceEpoch(DateTimeOffset time) => (long)(time - Epoch).TotalMilliseconds;
}
