using System.Numerics;

namespace CompassCi.Grains.Results.Extraction;

/// <summary>
/// The arithmetic lkp-tests' <c>create_stats_matrix</c> does on samples, with Ruby's results: Integers stay exact
/// (any size) and divide by flooring; once a Float takes part the result is a Float. Callers pass numbers only
/// (Ruby raises a TypeError on anything else; the extractor leaves such a key out instead).
/// </summary>
public static class RubyArithmetic
{
    /// <summary>
    /// <c>Array#sum</c> as MRI computes it: the Integers before the first Float summed exactly; from there on a double
    /// with Kahan-Babuska compensation (the compensation added at the end), so the last bits match Ruby's and not a
    /// naive left-to-right sum.
    /// </summary>
    public static Sample Sum(IReadOnlyList<Sample> samples)
    {
        var exact = BigInteger.Zero;
        var i = 0;
        for (; i < samples.Count && samples[i].Kind == SampleKind.WholeNumber; i++)
        {
            exact += samples[i].Whole;
        }

        if (i == samples.Count)
        {
            return Sample.Of(exact);
        }

        var sum = (double)exact;
        var compensation = 0.0;
        for (; i < samples.Count; i++)
        {
            var x = samples[i].AsDouble;
            if (double.IsNaN(sum))
            {
                continue;
            }

            if (double.IsNaN(x))
            {
                sum = x;
                continue;
            }

            if (double.IsInfinity(x))
            {
                sum = double.IsInfinity(sum) && double.IsNegative(x) != double.IsNegative(sum) ? double.NaN : x;
                continue;
            }

            if (double.IsInfinity(sum))
            {
                continue;
            }

            var t = sum + x;
            compensation += Math.Abs(sum) >= Math.Abs(x) ? (sum - t) + x : (x - t) + sum;
            sum = t;
        }

        return Sample.Of(sum + compensation);
    }

    /// <summary><c>a - b</c>: exact for two Integers, a double otherwise.</summary>
    public static Sample Subtract(Sample a, Sample b) =>
        a.Kind == SampleKind.WholeNumber && b.Kind == SampleKind.WholeNumber ? Sample.Of(a.Whole - b.Whole) : Sample.Of(a.AsDouble - b.AsDouble);

    /// <summary>
    /// <c>sum / divisor</c> with an Integer divisor: Ruby's Integer division floors (toward minus infinity, so
    /// -7 / 2 is -4), a Float divided gives a Float. Null when an Integer would be divided by zero (Ruby raises).
    /// </summary>
    public static Sample? Divide(Sample sum, long divisor)
    {
        if (sum.Kind == SampleKind.FloatingPoint)
        {
            return Sample.Of(sum.Real / divisor);
        }

        if (divisor == 0)
        {
            return null;
        }

        var quotient = BigInteger.DivRem(sum.Whole, divisor, out var remainder);
        return Sample.Of(remainder != 0 && (remainder.Sign < 0) != (divisor < 0) ? quotient - 1 : quotient);
    }

    /// <summary><c>Array#max</c> of numbers, compared by value (an Integer and a Float compare as numbers).</summary>
    public static Sample Max(IReadOnlyList<Sample> samples)
    {
        var max = samples[0];
        for (var i = 1; i < samples.Count; i++)
        {
            if (Compare(samples[i], max) > 0)
            {
                max = samples[i];
            }
        }

        return max;
    }

    private static int Compare(Sample a, Sample b) =>
        a.Kind == SampleKind.WholeNumber && b.Kind == SampleKind.WholeNumber ? a.Whole.CompareTo(b.Whole) : a.AsDouble.CompareTo(b.AsDouble);
}
