using System.Globalization;

namespace CompassCi.Grains.Configuration;

/// <summary>The checks options make of their values, phrased the same way everywhere: the full key, the value, what is allowed.</summary>
public static class OptionRules
{
    /// <summary>A problem when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static IEnumerable<string> Between(string section, string name, long value, long min, long max, string unit = "")
    {
        if (value < min || value > max)
        {
            yield return $"{section}:{name} is {value.ToString(CultureInfo.InvariantCulture)}; it must be a whole number{unit} from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        }
    }

    /// <summary>A problem when the time span <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static IEnumerable<string> Between(string section, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            yield return $"{section}:{name} is {value.ToString("c", CultureInfo.InvariantCulture)}; it must be a time span from {min.ToString("c", CultureInfo.InvariantCulture)} to {max.ToString("c", CultureInfo.InvariantCulture)}";
        }
    }
}
