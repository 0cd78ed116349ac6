using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Hostile;

/// <summary>
/// One request of the hostile corpus, as read from a case file (README.md describes the format). The texts still hold
/// placeholders (<c>{pending_job}</c>) and escapes; <see cref="CaseText"/> makes bytes of them when the case runs.
/// </summary>
public sealed record HostileCase
{
    /// <summary>The case file, e.g. <c>submit-utf8.cases</c>.</summary>
    public required string File { get; init; }

    /// <summary>The line of its <c>===</c> header.</summary>
    public required int Line { get; init; }

    public required string Name { get; init; }

    /// <summary>What the server may answer: <c>2xx</c>, <c>4xx</c>, an exact code such as <c>413</c>, or <c>close</c>.</summary>
    public required IReadOnlyList<string> Expect { get; init; }

    /// <summary>A word the problem's error, detail or errors must mention (the field at fault), if the case names one.</summary>
    public string? Names { get; init; }

    /// <summary>
    /// Why this 4xx cannot carry a JSON message, when it cannot: Kestrel refuses the request before any endpoint runs,
    /// or the answer is to a HEAD request.
    /// </summary>
    public string? NoMessage { get; init; }

    /// <summary>Texts the answer's body must contain (e.g. <c>"jobs":[]</c> for an injection that must match nothing).</summary>
    public IReadOnlyList<string> BodyHas { get; init; } = [];

    /// <summary>Headers the runner would add that this case must go without: <c>host</c>, <c>content-length</c>, <c>connection</c>.</summary>
    public IReadOnlyList<string> Omit { get; init; } = [];

    public SendMode Send { get; init; } = SendMode.Normal;

    public int TrickleBytesPerSecond { get; init; } = 1;

    /// <summary>How long the whole exchange may take before it counts as a hang.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Body lines end with CRLF (for hand-written chunked bodies) instead of being joined with LF.</summary>
    public bool BodyCrlf { get; init; }

    public required string RequestLine { get; init; }

    public required IReadOnlyList<string> Headers { get; init; }

    public required string Body { get; init; }

    /// <summary>The key a test row carries (file and line): serializable, so every case is its own row.</summary>
    public string Id => $"{File}:{Line}";

    /// <summary>The method as sent (the request line's first word).</summary>
    public string Method => RequestLine.Split(' ', 2)[0];

    /// <summary>How the runner sends this case.</summary>
    public RawSend How => new(Method, Timeout, Send, TrickleBytesPerSecond);

    /// <summary>A case expecting only success changes state on purpose; every other one must leave the rows as they were.</summary>
    public bool MustLeaveRowsAlone => !Expect.All(e => e.StartsWith('2'));

    public override string ToString() => $"{File} | {Name}";
}
