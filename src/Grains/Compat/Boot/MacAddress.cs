namespace CompassCi.Grains.Compat.Boot;

/// <summary>
/// A MAC address as compass-ci keys it: six lower-case hex pairs joined by <c>-</c> (iPXE's <c>${mac:hexhyp}</c>), whether
/// it came with <c>:</c> (<c>set_host_mac</c> from an admin) or <c>-</c> (a booting box).
/// </summary>
public static class MacAddress
{
    /// <summary>The normal form of <paramref name="text"/>, or null with the reason when it is not a MAC address.</summary>
    public static (string? Mac, string? Error) Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return (null, "is required: a MAC address like 52-54-00-12-34-56");
        }

        var parts = text.Trim().ToLowerInvariant().Replace(':', '-').Split('-');
        if (parts.Length != 6 || parts.Any(p => p.Length != 2 || !p.All(char.IsAsciiHexDigit)))
        {
            return (null, $"'{text}' is not a MAC address; write six hex pairs like 52-54-00-12-34-56 or 52:54:00:12:34:56");
        }

        return (string.Join('-', parts), null);
    }
}
