using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Results.Extraction;

/// <summary>What a JSON value becomes in Ruby's <c>JSON.load</c>, which decides how lkp-tests computes with it.</summary>
public enum SampleKind
{
    /// <summary>A JSON number without fraction or exponent: a Ruby Integer (arbitrary size).</summary>
    WholeNumber,

    /// <summary>A JSON number with a fraction or an exponent: a Ruby Float.</summary>
    FloatingPoint,

    /// <summary>Anything else (a string such as a <c>.element</c> sample, true, false, null, an array, an object).</summary>
    Other,
}

/// <summary>One sample of a monitor's column, typed the way lkp-tests' Ruby sees it.</summary>
/// <param name="Whole">The value of a Ruby Integer.</param>
/// <param name="Real">The value of a Ruby Float.</param>
/// <param name="Other">Any other value.</param>
public readonly record struct Sample(SampleKind Kind, BigInteger Whole, double Real, JsonElement Other)
{
    public bool IsNumber => Kind is SampleKind.WholeNumber or SampleKind.FloatingPoint;

    /// <summary>The value as a double, as Ruby converts an Integer when a Float takes part.</summary>
    public double AsDouble => Kind == SampleKind.WholeNumber ? (double)Whole : Real;

    public static Sample Of(BigInteger value) => new(SampleKind.WholeNumber, value, 0, default);

    public static Sample Of(double value) => new(SampleKind.FloatingPoint, BigInteger.Zero, value, default);

    /// <summary>
    /// The sample a JSON value is. Ruby's parser makes a number with '.', 'e' or 'E' a Float and any other number an
    /// Integer, whatever its size; the element of something else is cloned so it outlives its document.
    /// </summary>
    public static Sample From(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            return new(SampleKind.Other, BigInteger.Zero, 0, element.Clone());
        }

        var text = element.GetRawText();
        return text.AsSpan().IndexOfAny(".eE") >= 0
            ? Of(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture))
            : Of(BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The sample as a JSON node, written the way Ruby's JSON generator writes it (a Float keeps its ".0", so lkp reads
    /// it back as a Float). Null for a non-finite Float, which standard JSON cannot hold.
    /// </summary>
    public JsonNode? ToNode() => Kind switch
    {
        SampleKind.WholeNumber => Whole >= long.MinValue && Whole <= long.MaxValue
            ? JsonValue.Create((long)Whole)
            : RawNumber(Whole.ToString(CultureInfo.InvariantCulture)),
        SampleKind.FloatingPoint => double.IsFinite(Real) ? RawNumber(RubyFloat.ToString(Real)) : null,
        _ => JsonNode.Parse(Other.GetRawText()),
    };

    /// <summary>Whether <see cref="ToNode"/> can write this sample (everything but a non-finite Float).</summary>
    public bool IsWritable => Kind != SampleKind.FloatingPoint || double.IsFinite(Real);

    private static JsonValue RawNumber(string text)
    {
        using var document = JsonDocument.Parse(text);
        return JsonValue.Create(document.RootElement.Clone())!;
    }
}
