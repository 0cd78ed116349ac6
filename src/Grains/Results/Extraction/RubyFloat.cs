using System.Globalization;
using System.Text;

namespace CompassCi.Grains.Results.Extraction;

/// <summary>
/// Ruby's <c>Float#to_s</c>, which its JSON generator uses for a Float: the shortest digits that read back as the same
/// double, in fixed notation while the decimal point falls within 15 digits of them (or 4 places after the point),
/// otherwise <c>d.ddde+XX</c>; a whole number keeps ".0". The ".0" matters: lkp reads <c>100.0</c> back as a Float
/// and <c>100</c> as an Integer, and later divides with it.
/// </summary>
public static class RubyFloat
{
    /// <summary>Digits after which Ruby switches to exponent form (<c>DBL_DIG</c>).</summary>
    private const int FixedDigits = 15;

    public static string ToString(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Ruby writes no JSON number for NaN or Infinity");
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var (digits, point) = ShortestDigits(Math.Abs(value));
        var text = new StringBuilder(32);
        if (value < 0)
        {
            text.Append('-');
        }

        if (point > 0 && point < digits.Length)
        {
            text.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }
        else if (point > 0 && point <= FixedDigits)
        {
            text.Append(digits).Append('0', point - digits.Length).Append(".0");
        }
        else if (point <= 0 && point > -4)
        {
            text.Append("0.").Append('0', -point).Append(digits);
        }
        else
        {
            text.Append(digits[0]).Append('.').Append(digits.Length > 1 ? digits[1..] : "0")
                .Append('e').Append((point - 1).ToString("+00;-00", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>
    /// The shortest round-trip digits of a positive <paramref name="value"/> without leading or trailing zeros, and
    /// where the decimal point goes: value = 0.<c>digits</c> × 10^<c>point</c> (dtoa's <c>decpt</c>).
    /// </summary>
    private static (string Digits, int Point) ShortestDigits(double value)
    {
        // "R" gives the shortest round-trip form since .NET Core 3.0, e.g. "123.45", "1E-05", "1.2345E+20".
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var digits = dot < 0 ? text : whole + text[(dot + 1)..];
        var point = whole.Length + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits[leadingZeros..].TrimEnd('0');
        return (digits, point - leadingZeros);
    }
}
