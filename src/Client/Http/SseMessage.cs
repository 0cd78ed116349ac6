namespace CompassCi.Client.Http;

/// <summary>One server-sent event as dispatched: its type (<c>message</c> when none was named), its data lines joined by newlines, and the last event id seen so far in the stream.</summary>
public sealed record SseMessage(string Event, string Data, string? Id);
