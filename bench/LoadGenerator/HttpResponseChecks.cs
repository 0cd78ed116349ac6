using System.Text;

namespace CompassCi.LoadGenerator;

/// <summary>The hand-written HTTP/1.1 framing of the hot loops (<see cref="HttpResponseParser"/>, <see cref="HttpResponseReader"/>, <see cref="PostRequestHead"/>) on known bytes.</summary>
public static class HttpResponseChecks
{
    public static void Run(SelfTest t)
    {
        // A parser bug may throw where a check expects an answer: that is one failed check, not the end of the self-test.
        foreach (var (name, section) in new (string, Action<SelfTest>)[] { ("status lines", StatusLines), ("headers", Headers), ("bodies", Bodies), ("malformed", Malformed), ("reads", Reads) })
        {
            try
            {
                section(t);
            }
            catch (Exception e)
            {
                t.Expect(false, $"HTTP framing, {name}: threw {e.GetType().Name}: {e.Message}");
            }
        }

        var head = new PostRequestHead(new Uri("http://127.0.0.1:3195/base/api/v1/jobs"));
        var request = new byte[head.MaxLength(2)];
        var length = head.Write(request, "{}"u8);
        t.Equal(
            "POST /base/api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1:3195\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
            Encoding.ASCII.GetString(request, 0, length),
            "request bytes: request line, Host, Content-Type, Content-Length, body");
    }

    private static void StatusLines(SelfTest t)
    {
        var parser = new HttpResponseParser();
        t.Equal(23, parser.TryParse(Bytes("HTTP/1.1 204 No Content\r\n\r\n")) - 4, "204 takes the status line and the blank line");
        t.Equal(204, parser.Status, "status code 204");
        t.Equal(0, parser.Body.Length, "204 has no body");
        t.Expect(parser.KeepAlive, "HTTP/1.1 is keep-alive by default");

        Parse(t, parser, "HTTP/1.1 201\r\nContent-Length: 0\r\n\r\n", "status line without a reason");
        t.Equal(201, parser.Status, "status code without a reason");
        Parse(t, parser, "HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n", "status line with an empty reason");
        t.Equal(503, parser.Status, "status code with an empty reason");
        Parse(t, parser, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", "HTTP/1.0");
        t.Expect(!parser.KeepAlive, "HTTP/1.0 closes unless it says keep-alive");
        Parse(t, parser, "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", "HTTP/1.0 keep-alive");
        t.Expect(parser.KeepAlive, "HTTP/1.0 with Connection: Keep-Alive stays open");
    }

    private static void Headers(SelfTest t)
    {
        var parser = new HttpResponseParser();
        Parse(t, parser, "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nX-Other: a:b\r\n\r\nok", "lower-case content-length");
        t.Equal("ok", Text(parser.Body), "lower-case content-length frames the body");
        Parse(t, parser, "HTTP/1.1 200 OK\r\nCONTENT-LENGTH:2\r\n\r\nok", "upper-case content-length without a space");
        t.Equal("ok", Text(parser.Body), "upper-case content-length frames the body");
        Parse(t, parser, "HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", "mixed-case chunked");
        t.Equal("ok", Text(parser.Body), "mixed-case transfer-encoding is chunked");
        Parse(t, parser, "HTTP/1.1 200 OK\r\nCONNECTION: upgrade, Close\r\nContent-Length: 0\r\n\r\n", "connection close in a list");
        t.Expect(!parser.KeepAlive, "Connection: close (any case, in a list) ends keep-alive");
        Parse(t, parser, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", "repeated equal content-length");
        t.Equal("abc", Text(parser.Body), "a repeated equal Content-Length is one length");
    }

    private static void Bodies(SelfTest t)
    {
        var parser = new HttpResponseParser();
        const string WithLength = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"id\":\"123\"}";
        t.Equal(WithLength.Length, parser.TryParse(Bytes(WithLength + "HTTP/1.1 ...")), "Content-Length: exactly the response is consumed, not what follows");
        t.Equal("{\"id\":\"123\"}", Text(parser.Body), "Content-Length body");
        t.Equal(0, parser.TryParse(Bytes(WithLength[..^1])), "one body byte short: incomplete");

        const string Chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;name=value\r\n world\r\nA \r\n0123456789\r\n0\r\nTrailer-Field: x\r\n\r\n";
        t.Equal(Chunked.Length, parser.TryParse(Bytes(Chunked)), "chunked: the whole response with its trailer is consumed");
        t.Equal("hello world0123456789", Text(parser.Body), "chunked body, extension and trailer skipped, hex size with a space");
        var incomplete = Enumerable.Range(1, Chunked.Length - 1).Count(n => parser.TryParse(Bytes(Chunked[..n])) != 0);
        t.Equal(0, incomplete, "every proper prefix of a chunked response is incomplete");

        Parse(t, parser, "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", "304 ignores Content-Length");
        t.Equal(0, parser.Body.Length, "304 has no body");

        var kestrel = Bytes("HTTP/1.1 201 Created\r\nContent-Type: application/json; charset=utf-8\r\nDate: Wed, 02 Dec 2026 15:02:09 GMT\r\nServer: Kestrel\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "1a\r\n{\"suite\":\"x\",\"id\":\"2538985\r\n15\r\n41892632576\",\"a\":[1]}\r\n0\r\n\r\n");
        t.Equal(kestrel.Length, parser.TryParse(kestrel), "a Kestrel answer split in two chunks");
        t.Equal("253898541892632576", JobIdReader.Read(parser.Body.Span), "the id read from the de-chunked body");
    }

    private static void Malformed(SelfTest t)
    {
        Fails(t, "HTTP/2 200 OK\r\n\r\n", "malformed status line 'HTTP/2 200 OK'", "HTTP/2 status line");
        Fails(t, "HTTX/1.1 200 OK\r\n\r\n", "malformed status line", "not HTTP");
        Fails(t, "HTTP/1.1 2000 OK\r\n\r\n", "malformed status line", "four-digit status");
        Fails(t, "HTTP/1.1 20 OK\r\n\r\n", "malformed status line", "two-digit status");
        Fails(t, "HTTP/1.1 099 OK\r\n\r\n", "malformed status line", "status below 100");
        Fails(t, "<html>\r\n", "malformed status line '<html>'", "garbage line before the headers are complete");
        Fails(t, "SSH-2.0", "malformed status line 'SSH-2.0'", "garbage without a line end fails at once");
        Fails(t, "HTTP/1.1 200 OK\r\nContent-Type application/json\r\nContent-Length: 0\r\n\r\n", "malformed header line 'Content-Type application/json'", "header without a colon");
        Fails(t, "HTTP/1.1 200 OK\r\nX-A: 1\r\n continued\r\nContent-Length: 0\r\n\r\n", "malformed header line", "obsolete line folding");
        Fails(t, "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", "malformed header line", "space before the colon");
        Fails(t, "HTTP/1.1 200 OK\r\n\r\n{}", "neither Content-Length nor Transfer-Encoding: chunked", "200 without framing");
        Fails(t, "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length '-1'", "negative length");
        Fails(t, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "bad Content-Length", "conflicting lengths");
        Fails(t, "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", "bad Content-Length", "absurd length");
        Fails(t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "Transfer-Encoding 'gzip, chunked' is not supported", "compressed transfer");
        Fails(t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n", "both Content-Length and Transfer-Encoding", "both framings");
        Fails(t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size 'zz'", "chunk size not hex");
        Fails(t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n0\r\n\r\n", "not followed by CRLF", "chunk longer than its size");
    }

    /// <summary>The reader over streams that hand out a few bytes at a time, as a socket may.</summary>
    private static void Reads(SelfTest t)
    {
        const string First = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"i\r\nE\r\nd\":\"42\",\"x\":1}\r\n0\r\n\r\n";
        const string Second = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"id\":\"43\"}";
        foreach (var piece in new[] { 1, 3, 7, 4096 })
        {
            var stream = new PieceStream(Bytes(First + Second), piece);
            var reader = new HttpResponseReader();
            reader.Read(stream);
            t.Equal(201, reader.Status, $"{piece}-byte reads: 100 Continue skipped, then 201");
            t.Equal("42", JobIdReader.Read(reader.Body.Span), $"{piece}-byte reads: chunked body whole");
            reader.Read(stream);
            t.Equal(200, reader.Status, $"{piece}-byte reads: second response on the same connection");
            t.Equal("43", JobIdReader.Read(reader.Body.Span), $"{piece}-byte reads: Content-Length body whole");
            t.Expect(!reader.Reusable, $"{piece}-byte reads: Connection: close makes the connection not reusable");
            t.Equal("the server closed the connection without answering", Error(() => reader.Read(stream)), $"{piece}-byte reads: end of stream before an answer");
        }

        var cut = new HttpResponseReader();
        t.Equal("the server closed the connection in the middle of a response", Error(() => cut.Read(new PieceStream(Bytes(Second[..^3]), 5))), "end of stream inside the body");

        var extra = new HttpResponseReader();
        extra.Read(new PieceStream(Bytes("HTTP/1.1 204 No Content\r\n\r\nHTTP"), 64));
        t.Expect(!extra.Reusable, "bytes after the answer make the connection not reusable");

        var big = new HttpResponseReader();
        var body = new string('a', 100_000);
        big.Read(new PieceStream(Bytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}"), 8192));
        t.Equal(body.Length, big.Body.Length, "a body larger than the buffers grows them");
    }

    private static void Parse(SelfTest t, HttpResponseParser parser, string response, string what) =>
        t.Equal(response.Length, parser.TryParse(Bytes(response)), $"{what}: parses whole");

    private static void Fails(SelfTest t, string response, string expected, string what)
    {
        var message = Error(() => new HttpResponseParser().TryParse(Bytes(response)));
        t.Expect(message?.Contains(expected, StringComparison.Ordinal) == true, $"{what}: expected an error with \"{expected}\", got {message ?? "none"}");
    }

    /// <summary>The message of the IOException (a MalformedResponseException included) that <paramref name="action"/> throws; null if none.</summary>
    private static string? Error(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.ASCII.GetString(bytes.Span);

    /// <summary>A read-only stream that returns at most <paramref name="piece"/> bytes per read, then end of stream.</summary>
    private sealed class PieceStream(byte[] data, int piece) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, piece), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
