using System.Globalization;

namespace CompassCi.Grains.Compat;

/// <summary>
/// Times as compass-ci writes them on the wire (<c>renew_deadline</c>'s answer, job fields such as <c>deadline</c>):
/// <c>2026-12-01T22:35:15+0800</c>, in the configured zone (<see cref="CompatOptions.TimeZone"/>) rather than compass-ci's
/// hard-coded +0800.
/// </summary>
public static class CompassTime
{
    /// <summary><paramref name="time"/> in <paramref name="zone"/> as <c>yyyy-MM-ddTHH:mm:ss±hhmm</c>.</summary>
    public static string Format(DateTimeOffset time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(time, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
            + sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }
}
