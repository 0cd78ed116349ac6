using System.Text;
using CompassCi.Client.Http;

namespace CompassCi.Tests.Unit.Client;

/// <summary>The SDK's text/event-stream reader, on byte streams cut wherever the network may cut them.</summary>
public sealed class HttpSseReaderTests
{
    private const string TwoEvents =
        ": waiting\n\n" +
        "id: 3\nevent: stage\ndata: {\"id\":\"3\",\"job_stage\":\"running\",\"note\":\"naïve ☃\"}\n\n" +
        ": waiting\n\n" +
        "id: 4\r\nevent: health\r\ndata: {\"id\":\"4\",\"job_health\":\"success\"}\r\n\r\n";

    [Fact]
    public async Task Events_dispatch_on_blank_lines_and_comments_are_skipped()
    {
        var events = await ReadAsync(new ChunkedStream(Encoding.UTF8.GetBytes(TwoEvents), [int.MaxValue]));
        Assert.Equal(
            [
                new SseMessage("stage", "{\"id\":\"3\",\"job_stage\":\"running\",\"note\":\"naïve ☃\"}", "3"),
                new SseMessage("health", "{\"id\":\"4\",\"job_health\":\"success\"}", "4"),
            ],
            events);
    }

    [Fact]
    public async Task Every_split_of_the_bytes_into_two_reads_gives_the_same_events()
    {
        var bytes = Encoding.UTF8.GetBytes(TwoEvents);
        var whole = await ReadAsync(new ChunkedStream(bytes, [int.MaxValue]));
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            // Cuts fall inside "\r\n", inside the multi-byte characters, inside field names.
            var events = await ReadAsync(new ChunkedStream(bytes, [cut, int.MaxValue]));
            Assert.True(whole.SequenceEqual(events), $"cut at byte {cut}: {string.Join(" | ", events)}");
        }
    }

    [Fact]
    public async Task One_byte_at_a_time_gives_the_same_events()
    {
        var bytes = Encoding.UTF8.GetBytes(TwoEvents);
        var events = await ReadAsync(new ChunkedStream(bytes, [1]));
        Assert.Equal(["3", "4"], events.Select(e => e.Id));
        Assert.Contains("naïve ☃", events[0].Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_lines_join_with_newlines_a_bare_cr_ends_a_line_and_the_default_type_is_message()
    {
        var events = await ReadAsync(Text("data: one\rdata:two\r\ndata\n\n"));
        var only = Assert.Single(events);
        Assert.Equal(new SseMessage("message", "one\ntwo\n", null), only);
    }

    [Fact]
    public async Task The_last_id_carries_over_to_later_events_and_an_event_with_no_data_is_not_dispatched()
    {
        var events = await ReadAsync(Text("id: 7\nevent: stage\n\nevent: job\ndata: {}\n\n"));
        var only = Assert.Single(events);
        Assert.Equal(new SseMessage("job", "{}", "7"), only);
    }

    [Fact]
    public async Task An_event_cut_off_by_the_end_of_the_stream_is_dropped()
    {
        var events = await ReadAsync(Text("id: 1\ndata: a\n\nid: 2\ndata: b\n"));
        Assert.Equal(["1"], events.Select(e => e.Id));
    }

    [Fact]
    public async Task A_stream_silent_past_the_idle_timeout_throws_a_timeout()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        using var reading = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, pipe.ClientSafePipeHandle);
        await pipe.WriteAsync(Encoding.UTF8.GetBytes("data: x\n\n"), TestContext.Current.CancellationToken);
        var seen = new List<SseMessage>();
        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var message in SseReader.ReadAsync(reading, TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken))
            {
                seen.Add(message);
            }
        });
        Assert.Equal("x", Assert.Single(seen).Data);
    }

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    private static async Task<List<SseMessage>> ReadAsync(Stream stream)
    {
        var events = new List<SseMessage>();
        await foreach (var message in SseReader.ReadAsync(stream, cancellationToken: TestContext.Current.CancellationToken))
        {
            events.Add(message);
        }

        return events;
    }

    /// <summary>Hands out its bytes in reads of the given sizes (the last size repeats), as a network delivers them.</summary>
    private sealed class ChunkedStream(byte[] bytes, int[] sizes) : Stream
    {
        private int _position;
        private int _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var size = sizes[Math.Min(_read++, sizes.Length - 1)];
            var n = Math.Min(Math.Min(size, count), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
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
