using System.Globalization;

namespace CompassCi.Grains.Watch;

/// <summary>A place in a one-job watch: the 1-based index of the last history entry seen (0: none yet).</summary>
public static class JobPosition
{
    /// <summary>Reads a position: empty means from the first entry; otherwise a whole number from 0. False for anything else.</summary>
    public static bool TryParse(string? text, out int after)
    {
        after = 0;
        return string.IsNullOrEmpty(text) || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out after);
    }
}
