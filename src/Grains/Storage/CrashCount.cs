namespace CompassCi.Grains.Storage;

/// <summary>How many crashed jobs share a cause and a party to notify, and how many of those were fatal or rescheduled.</summary>
public sealed record CrashCount(string Cause, string Notify, long Count, long Fatal, long Rescheduled);
