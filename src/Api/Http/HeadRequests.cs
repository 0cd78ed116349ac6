namespace CompassCi.Api.Http;

/// <summary>
/// HEAD on every GET route (RFC 9110 §9.3.2: the same headers as GET, no body). Minimal APIs route HEAD to
/// nothing, so a monitor's or a proxy's HEAD got 405. The request runs as its GET, with the body counted and dropped.
/// </summary>
public static class HeadRequests
{
    private static readonly object Key = new();

    /// <summary>True while a HEAD request runs as its GET: a streaming endpoint answers its headers and stops.</summary>
    public static bool IsHead(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.ContainsKey(Key);
    }

    /// <summary>Adds the HEAD-as-GET step; it must come before routing.</summary>
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }

        context.Request.Method = HttpMethods.Get;
        context.Items[Key] = true;
        var body = context.Response.Body;
        await using var discarded = new CountingStream();
        context.Response.Body = discarded;
        try
        {
            await next(context);
        }
        finally
        {
            // HEAD again before the response starts, so Kestrel sends the headers only.
            context.Response.Body = body;
            context.Request.Method = HttpMethods.Head;
        }

        if (!context.Response.HasStarted && context.Response.ContentLength is null)
        {
            context.Response.ContentLength = discarded.Length;
        }
    });

    /// <summary>Takes writes and keeps only their count.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _length += count;
            return Task.CompletedTask;
        }
    }
}
