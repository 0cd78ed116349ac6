using System.Text;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Frames one HTTP/1.1 response out of the bytes received so far, for <see cref="HttpResponseReader"/>. It is given all
/// the unparsed bytes each time and starts over, which keeps it free of state between reads (a response is a few KiB).
/// Only what the load generator's requests can meet is accepted — Content-Length or chunked framing, no compression,
/// no upgrade — and anything else is a <see cref="MalformedResponseException"/> that says what it found.
/// </summary>
public sealed class HttpResponseParser
{
    /// <summary>Status line and headers; Kestrel sends ~150 B.</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    /// <summary>A job document is a few KiB; a body this large means the framing went wrong.</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>Chunk-size line: hex size plus any extension.</summary>
    private const int MaxChunkLineBytes = 1024;

    private byte[] _body = new byte[8 * 1024];

    /// <summary>The status code of the response last framed.</summary>
    public int Status { get; private set; }

    /// <summary>False when the server said Connection: close (or is HTTP/1.0 without keep-alive): the connection must not be reused.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>The body of the response last framed, de-chunked; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Body => _body.AsMemory(0, BodyLength);

    private int BodyLength { get; set; }

    /// <returns>How many bytes of <paramref name="data"/> the complete response took, or 0 when they hold only part of one so far.</returns>
    /// <exception cref="MalformedResponseException">The bytes cannot be (the start of) a response this client reads.</exception>
    public int TryParse(ReadOnlySpan<byte> data)
    {
        var headEnd = data.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            if (data.Length > MaxHeaderBytes)
            {
                throw new MalformedResponseException($"no end of the response headers within {MaxHeaderBytes} bytes");
            }

            // The status line can be judged before the headers are all in: garbage fails at once, not after 64 KiB.
            var firstLine = data.IndexOf("\r\n"u8);
            if (firstLine >= 0)
            {
                ParseStatusLine(data[..firstLine]);
            }
            else if (!"HTTP/1."u8.StartsWith(data[..Math.Min(data.Length, 7)]))
            {
                throw new MalformedResponseException($"malformed status line '{Printable(data)}'");
            }

            return 0;
        }

        var head = data[..headEnd];
        var statusEnd = head.IndexOf("\r\n"u8);
        var statusLine = statusEnd < 0 ? head : head[..statusEnd];
        var (minorVersion, status) = ParseStatusLine(statusLine);
        var headers = ReadHeaders(statusEnd < 0 ? [] : head[(statusEnd + 2)..]);
        var bodyStart = headEnd + 4;

        Status = status;
        KeepAlive = !headers.Close && (minorVersion >= 1 || headers.KeepAlive);
        BodyLength = 0;

        // 1xx, 204 and 304 never have a body, whatever their headers say (RFC 9112 section 6.3).
        if (status is < 200 or 204 or 304)
        {
            return bodyStart;
        }

        if (headers.Chunked && headers.ContentLength is not null)
        {
            throw new MalformedResponseException($"HTTP {status} has both Content-Length and Transfer-Encoding: chunked");
        }

        if (headers.Chunked)
        {
            var chunked = ParseChunked(data[bodyStart..]);
            return chunked == 0 ? 0 : bodyStart + chunked;
        }

        if (headers.ContentLength is not { } length)
        {
            // Read-until-close framing would be legal HTTP, but no answer of this API comes that way: say so loudly.
            throw new MalformedResponseException($"HTTP {status} has neither Content-Length nor Transfer-Encoding: chunked");
        }

        if (data.Length - bodyStart < length)
        {
            return 0;
        }

        Append(data.Slice(bodyStart, (int)length));
        return bodyStart + (int)length;
    }

    /// <summary>"HTTP/1.x NNN reason" (the reason may be empty, even without its space); returns the minor version and the code.</summary>
    private static (int MinorVersion, int Status) ParseStatusLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 12
            || !line.StartsWith("HTTP/1."u8)
            || !char.IsAsciiDigit((char)line[7])
            || line[8] != (byte)' '
            || !char.IsAsciiDigit((char)line[9]) || !char.IsAsciiDigit((char)line[10]) || !char.IsAsciiDigit((char)line[11])
            || line[9] == (byte)'0'
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            throw new MalformedResponseException($"malformed status line '{Printable(line)}'");
        }

        return (line[7] - '0', ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0'));
    }

    /// <summary>The framing headers, found by case-insensitive name; the others are skipped.</summary>
    private static FramingHeaders ReadHeaders(ReadOnlySpan<byte> lines)
    {
        var framing = default(FramingHeaders);
        while (!lines.IsEmpty)
        {
            var end = lines.IndexOf("\r\n"u8);
            var line = end < 0 ? lines : lines[..end];
            lines = end < 0 ? [] : lines[(end + 2)..];

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t' || line[colon - 1] is (byte)' ' or (byte)'\t')
            {
                // Also refuses obsolete line folding: a header continued on an indented line.
                throw new MalformedResponseException($"malformed header line '{Printable(line)}'");
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!TryParseDecimal(value, out var length) || length > MaxBodyBytes || (framing.ContentLength is { } seen && seen != length))
                {
                    throw new MalformedResponseException($"bad Content-Length '{Printable(value)}'");
                }

                framing.ContentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                if (!Ascii.EqualsIgnoreCase(value, "chunked"u8))
                {
                    throw new MalformedResponseException($"Transfer-Encoding '{Printable(value)}' is not supported (only chunked)");
                }

                framing.Chunked = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                foreach (var range in value.Split((byte)','))
                {
                    var option = value[range].Trim(" \t"u8);
                    framing.Close |= Ascii.EqualsIgnoreCase(option, "close"u8);
                    framing.KeepAlive |= Ascii.EqualsIgnoreCase(option, "keep-alive"u8);
                }
            }
        }

        return framing;
    }

    /// <summary>Collects the chunks' data into the body; returns the bytes the chunked body took, trailers included, or 0 if incomplete.</summary>
    private int ParseChunked(ReadOnlySpan<byte> data)
    {
        var position = 0;
        while (true)
        {
            var lineEnd = data[position..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return data.Length - position > MaxChunkLineBytes ? throw new MalformedResponseException("chunk-size line too long") : 0;
            }

            var sizeLine = data.Slice(position, lineEnd);
            var extension = sizeLine.IndexOf((byte)';');
            var sizeText = (extension < 0 ? sizeLine : sizeLine[..extension]).TrimEnd(" \t"u8);
            if (!TryParseHex(sizeText, out var size) || BodyLength + size > MaxBodyBytes)
            {
                throw new MalformedResponseException($"bad chunk size '{Printable(sizeLine)}'");
            }

            position += lineEnd + 2;
            if (size == 0)
            {
                return SkipTrailers(data, position);
            }

            if (data.Length - position < size + 2)
            {
                return 0;
            }

            if (!data.Slice(position + (int)size, 2).SequenceEqual("\r\n"u8))
            {
                throw new MalformedResponseException($"a chunk of {size} bytes is not followed by CRLF");
            }

            Append(data.Slice(position, (int)size));
            position += (int)size + 2;
        }
    }

    /// <summary>After the last chunk: trailer lines (ignored) up to an empty line; returns the end, or 0 if not all there yet.</summary>
    private static int SkipTrailers(ReadOnlySpan<byte> data, int position)
    {
        while (true)
        {
            var lineEnd = data[position..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return data.Length - position > MaxHeaderBytes ? throw new MalformedResponseException("chunked trailers too long") : 0;
            }

            position += lineEnd + 2;
            if (lineEnd == 0)
            {
                return position;
            }
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (BodyLength + bytes.Length > MaxBodyBytes)
        {
            throw new MalformedResponseException($"body longer than {MaxBodyBytes} bytes");
        }

        if (BodyLength + bytes.Length > _body.Length)
        {
            Array.Resize(ref _body, Math.Max(_body.Length * 2, BodyLength + bytes.Length));
        }

        bytes.CopyTo(_body.AsSpan(BodyLength));
        BodyLength += bytes.Length;
    }

    /// <summary>1 to 10 decimal digits, nothing else (a sign or spaces inside are not a length).</summary>
    private static bool TryParseDecimal(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 10)
        {
            return false;
        }

        foreach (var b in text)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    /// <summary>1 to 8 hex digits: more than any body this client accepts, and no overflow.</summary>
    private static bool TryParseHex(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 8)
        {
            return false;
        }

        foreach (var b in text)
        {
            if (!char.IsAsciiHexDigit((char)b))
            {
                return false;
            }

            value = (value * 16) + (char.IsAsciiDigit((char)b) ? b - '0' : (b | 0x20) - 'a' + 10);
        }

        return true;
    }

    /// <summary>The bytes as text for an error message: at most 100 of them, control and non-ASCII bytes as '?'.</summary>
    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(Math.Min(bytes.Length, 100));
        foreach (var b in bytes[..Math.Min(bytes.Length, 100)])
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '?');
        }

        return bytes.Length > 100 ? text.Append("...").ToString() : text.ToString();
    }

    private struct FramingHeaders
    {
        public long? ContentLength;
        public bool Chunked;
        public bool Close;
        public bool KeepAlive;
    }
}
