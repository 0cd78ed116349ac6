using System.Buffers;
using System.Text;

namespace CompassCi.Silo.Logging;

/// <summary>
/// Writes the console's lines in batches: a line is appended to a buffer, and one thread writes what has gathered every
/// <see cref="FlushEvery"/> (sooner when it passes <see cref="FlushAt"/>), in one system call per stream. A line waits at
/// most that long; an idle silo's writer thread sleeps until the next line arrives. <see cref="Dispose"/> writes the
/// rest, and a line appended after it is written at once.
/// </summary>
/// <remarks>
/// Why not the framework's console logger: it wakes its thread for each line (the queue is usually empty under load) and
/// writes each line through <see cref="Console.Out"/>, whose small buffer makes one <c>write</c> per line. At thousands of
/// hand-outs a second each line cost a thread wake-up and a system call; here a batch costs one of each.
/// </remarks>
internal sealed class ConsoleBatchWriter : IDisposable
{
    /// <summary>How long a line may wait for its batch.</summary>
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(10);

    /// <summary>Characters gathered that get a batch written at once.</summary>
    public const int FlushAt = 32 * 1024;

    private readonly Lock _gate = new();
    private readonly Stream _output;
    private readonly Stream _error;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _wake = new(false);
    private StringBuilder _pendingOut = new();
    private StringBuilder _pendingError = new();
    private StringBuilder _spareOut = new();
    private StringBuilder _spareError = new();
    private bool _idle;
    private bool _stopping;

    public ConsoleBatchWriter(Stream output, Stream error)
    {
        _output = output;
        _error = error;
        _thread = new Thread(Run) { IsBackground = true, Name = "Console log writer" };
        _thread.Start();
    }

    /// <summary>
    /// Appends <paramref name="text"/> (whole lines) for standard output, or standard error; an <paramref name="urgent"/>
    /// line (a warning or worse: rare, and what an operator reads after a crash) is written now, not with the next batch.
    /// </summary>
    public void Append(StringBuilder text, bool toError, bool urgent = false)
    {
        bool wake;
        lock (_gate)
        {
            if (_stopping)
            {
                // A line from a thread still running after the end (at exit): written now, rather than lost.
                Write(text, toError ? _error : _output);
                return;
            }

            var pending = toError ? _pendingError : _pendingOut;
            pending.Append(text);
            // Only a writer waiting without a deadline needs waking; one asleep between batches comes back by itself.
            wake = urgent || _idle || pending.Length >= FlushAt;
            _idle = false;
        }

        if (wake)
        {
            _wake.Set();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        // The event is not disposed: a line logged while this runs may still set it.
        _wake.Set();
        _thread.Join();
    }

    private void Run()
    {
        while (true)
        {
            _wake.Wait(FlushEvery);
            _wake.Reset();
            bool stopping;
            lock (_gate)
            {
                (_pendingOut, _spareOut) = (_spareOut, _pendingOut);
                (_pendingError, _spareError) = (_spareError, _pendingError);
                stopping = _stopping;
            }

            var wrote = Write(_spareOut, _output) | Write(_spareError, _error);
            if (stopping)
            {
                return;
            }

            if (!wrote)
            {
                // Nothing came in a whole period: sleep until a line does (Append wakes an idle writer).
                bool idle;
                lock (_gate)
                {
                    idle = _idle = _pendingOut.Length == 0 && _pendingError.Length == 0;
                }

                if (idle)
                {
                    _wake.Wait();
                }
            }
        }
    }

    /// <summary>Writes and empties <paramref name="text"/>; false when there was nothing to write.</summary>
    private static bool Write(StringBuilder text, Stream stream)
    {
        if (text.Length == 0)
        {
            return false;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = 0;
            foreach (var chunk in text.GetChunks())
            {
                length += Encoding.UTF8.GetBytes(chunk.Span, bytes.AsSpan(length));
            }

            stream.Write(bytes, 0, length);
            stream.Flush();
        }
        catch (IOException)
        {
            // A closed console (the reader went away) must not take the silo down; the lines are lost, as they would be.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            text.Clear();
            if (text.Capacity > FlushAt * 4)
            {
                text.Capacity = FlushAt;
            }
        }

        return true;
    }
}
