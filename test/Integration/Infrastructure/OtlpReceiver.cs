using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;

namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>One span as an OTLP exporter sent it: ids in lower-case hex (the parent empty for a root), its scope's name.</summary>
public sealed record ReceivedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, string Scope, IReadOnlyDictionary<string, string> Attributes)
{
    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);
}

/// <summary>
/// An OTLP/HTTP collector standing in for a real one: takes <c>POST /v1/traces</c> (protobuf), decodes the few fields of
/// ExportTraceServiceRequest a test looks at, and keeps every span; keeps each <c>POST /v1/logs</c> body as it came;
/// answers and drops <c>/v1/metrics</c>.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<string> _logExports = new();

    public OtlpReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    /// <summary>The base address, as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names it (the exporter adds <c>/v1/traces</c>).</summary>
    public string Endpoint { get; }

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    /// <summary>
    /// The body of each log export received so far, as Latin-1 text byte for byte: protobuf writes strings as plain
    /// UTF-8, so an export that holds a log line holds its attributes' names and values as substrings too.
    /// </summary>
    public IReadOnlyList<string> LogExports => [.. _logExports];

    /// <summary>The spans received so far of one trace.</summary>
    public IReadOnlyList<ReceivedSpan> Trace(string traceId) => [.. _spans.Where(s => s.TraceId == traceId)];

    public void Dispose()
    {
        if (_listener.IsListening)
        {
            _listener.Stop();
        }

        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                using var body = new MemoryStream();
                var input = context.Request.Headers["Content-Encoding"] == "gzip"
                    ? new GZipStream(context.Request.InputStream, CompressionMode.Decompress)
                    : context.Request.InputStream;
                await input.CopyToAsync(body);
                if (context.Request.HttpMethod == "POST" && context.Request.Url?.AbsolutePath == "/v1/traces")
                {
                    foreach (var span in DecodeExportTraceServiceRequest(body.ToArray()))
                    {
                        _spans.Enqueue(span);
                    }
                }
                else if (context.Request.HttpMethod == "POST" && context.Request.Url?.AbsolutePath == "/v1/logs")
                {
                    _logExports.Enqueue(System.Text.Encoding.Latin1.GetString(body.ToArray()));
                }

                // An empty ExportTraceServiceResponse (or metrics/logs response): all accepted.
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
            }
            catch (InvalidProtocolBufferException)
            {
                context.Response.StatusCode = 400;
            }

            context.Response.Close();
        }
    }

    /// <summary>ExportTraceServiceRequest: 1 resource_spans → ResourceSpans: 2 scope_spans → ScopeSpans: 1 scope, 2 spans.</summary>
    private static List<ReceivedSpan> DecodeExportTraceServiceRequest(byte[] request)
    {
        var spans = new List<ReceivedSpan>();
        ForEachField(request, (field, input) =>
        {
            if (field != 1)
            {
                return false;
            }

            ForEachField(input.ReadBytes().ToByteArray(), (resourceField, resource) =>
            {
                if (resourceField != 2)
                {
                    return false;
                }

                var scope = "";
                var scopeSpans = new List<byte[]>();
                ForEachField(resource.ReadBytes().ToByteArray(), (scopeField, scopeInput) =>
                {
                    switch (scopeField)
                    {
                        case 1:
                            scope = ReadScopeName(scopeInput.ReadBytes().ToByteArray());
                            return true;
                        case 2:
                            scopeSpans.Add(scopeInput.ReadBytes().ToByteArray());
                            return true;
                        default:
                            return false;
                    }
                });
                spans.AddRange(scopeSpans.Select(span => ReadSpan(span, scope)));
                return true;
            });
            return true;
        });
        return spans;
    }

    /// <summary>InstrumentationScope: 1 name.</summary>
    private static string ReadScopeName(byte[] scope)
    {
        var name = "";
        ForEachField(scope, (field, input) =>
        {
            if (field != 1)
            {
                return false;
            }

            name = input.ReadString();
            return true;
        });
        return name;
    }

    /// <summary>Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes.</summary>
    private static ReceivedSpan ReadSpan(byte[] span, string scope)
    {
        string traceId = "", spanId = "", parentId = "", name = "";
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        ForEachField(span, (field, input) =>
        {
            switch (field)
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().Span); return true;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().Span); return true;
                case 4: parentId = Convert.ToHexStringLower(input.ReadBytes().Span); return true;
                case 5: name = input.ReadString(); return true;
                case 9:
                    var (key, value) = ReadKeyValue(input.ReadBytes().ToByteArray());
                    attributes[key] = value;
                    return true;
                default: return false;
            }
        });
        return new ReceivedSpan(traceId, spanId, parentId, name, scope, attributes);
    }

    /// <summary>KeyValue: 1 key, 2 value (AnyValue: 1 string, 2 bool, 3 int64, 4 double; others kept as empty).</summary>
    private static (string Key, string Value) ReadKeyValue(byte[] keyValue)
    {
        string key = "", value = "";
        ForEachField(keyValue, (field, input) =>
        {
            switch (field)
            {
                case 1:
                    key = input.ReadString();
                    return true;
                case 2:
                    ForEachField(input.ReadBytes().ToByteArray(), (kind, any) =>
                    {
                        switch (kind)
                        {
                            case 1: value = any.ReadString(); return true;
                            case 2: value = any.ReadBool() ? "true" : "false"; return true;
                            case 3: value = any.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture); return true;
                            case 4: value = any.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture); return true;
                            default: return false;
                        }
                    });
                    return true;
                default:
                    return false;
            }
        });
        return (key, value);
    }

    /// <summary>Reads each field of one message; <paramref name="read"/> reads the field's value and answers true, or false to skip it.</summary>
    private static void ForEachField(byte[] message, Func<int, CodedInputStream, bool> read)
    {
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!read(WireFormat.GetTagFieldNumber(tag), input))
            {
                input.SkipLastField();
            }
        }
    }
}
