namespace CompassCi.Silo.Hosting;

/// <summary>How the silo writes its log to the console: <c>CompassCi:LogFormat</c>.</summary>
public static class LogFormat
{
    /// <summary>One readable line per entry (the default), for a terminal.</summary>
    public const string Simple = "simple";

    /// <summary>One JSON object per line, with the log scopes' fields and a UTC timestamp, for a container's log collector.</summary>
    public const string Json = "json";

    /// <summary>Whether <paramref name="value"/> names a format (either case).</summary>
    public static bool IsKnown(string? value) => IsJson(value) || string.Equals(value, Simple, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="value"/> asks for JSON.</summary>
    public static bool IsJson(string? value) => string.Equals(value, Json, StringComparison.OrdinalIgnoreCase);
}
