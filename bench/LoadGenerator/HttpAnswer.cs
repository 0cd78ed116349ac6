using System.Net;

namespace CompassCi.LoadGenerator;

/// <summary>A response as the hot loops need it.</summary>
/// <param name="Body">The (de-chunked) body, in the connection's buffer: valid until the connection's next request.</param>
public readonly record struct HttpAnswer(HttpStatusCode Status, ReadOnlyMemory<byte> Body);
