namespace CompassCi.LoadGenerator;

/// <summary>
/// Reads responses off one connection's stream into a buffer it keeps between requests, and frames them with
/// <see cref="HttpResponseParser"/>. Interim 1xx answers are skipped; what comes after the final one is kept, but
/// marks the connection as not reusable (a request/response client never expects it).
/// </summary>
public sealed class HttpResponseReader
{
    private readonly HttpResponseParser _parser = new();
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>Status code of the response last read.</summary>
    public int Status => _parser.Status;

    /// <summary>Body of the response last read; valid until the next read.</summary>
    public ReadOnlyMemory<byte> Body => _parser.Body;

    /// <summary>True when the connection may carry the next request: the server did not ask to close it, and sent nothing beyond the response.</summary>
    public bool Reusable => _parser.KeepAlive && _start == _end;

    /// <summary>Forgets any buffered bytes: for a new connection.</summary>
    public void Reset() => _start = _end = 0;

    /// <summary>Reads until one final (non-1xx) response is complete; blocks (the hot loops each have a thread of their own).</summary>
    /// <exception cref="IOException">The stream ended before it, or (<see cref="MalformedResponseException"/>) the bytes are not a response.</exception>
    public void Read(Stream stream)
    {
        var sawAnyByte = _end > _start;
        while (true)
        {
            var consumed = _end > _start ? _parser.TryParse(_buffer.AsSpan(_start, _end - _start)) : 0;
            if (consumed > 0)
            {
                _start += consumed;
                if (_start == _end)
                {
                    _start = _end = 0;
                }

                if (_parser.Status == 101)
                {
                    throw new MalformedResponseException("HTTP 101: the server switched protocols, which this client never asks for");
                }

                if (_parser.Status >= 200)
                {
                    return;
                }

                // 100 Continue or another interim answer: the final one follows.
                continue;
            }

            MakeRoom();
            var read = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                throw new IOException(sawAnyByte
                    ? "the server closed the connection in the middle of a response"
                    : "the server closed the connection without answering");
            }

            _end += read;
            sawAnyByte = true;
        }
    }

    /// <summary>Moves unparsed bytes to the front, and grows the buffer when they fill it (the parser bounds how far).</summary>
    private void MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }
}
