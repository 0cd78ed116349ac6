using System.Numerics;
using CompassCi.Grains.Results.Extraction;

namespace CompassCi.Tests.Unit.Results;

/// <summary>The numbers lkp-tests' Ruby gives, worked out by hand from Ruby's rules.</summary>
public class RubyArithmeticTests
{
    private static Sample[] Whole(params long[] values) => [.. values.Select(v => Sample.Of(new BigInteger(v)))];

    private static Sample[] Real(params double[] values) => [.. values.Select(Sample.Of)];

    [Fact]
    public void IntegersSumExactlyPastLongAndStayIntegers()
    {
        var sum = RubyArithmetic.Sum(Whole(long.MaxValue, long.MaxValue, 2));

        Assert.Equal(SampleKind.WholeNumber, sum.Kind);
        Assert.Equal(BigInteger.Parse("18446744073709551616", System.Globalization.CultureInfo.InvariantCulture), sum.Whole);
    }

    [Fact]
    public void FloatsSumWithCompensationAsRubyDoes()
    {
        // Ten 0.1s added left to right give 0.9999999999999999; Ruby's Kahan-Babuska sum gives 1.0.
        var naive = 0.0;
        for (var i = 0; i < 10; i++)
        {
            naive += 0.1;
        }

        Assert.NotEqual(1.0, naive);
        Assert.Equal(1.0, RubyArithmetic.Sum(Real(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1)).Real);
    }

    [Fact]
    public void OneFloatMakesTheSumAFloat()
    {
        var sum = RubyArithmetic.Sum([Sample.Of(new BigInteger(1)), Sample.Of(new BigInteger(2)), Sample.Of(0.5)]);

        Assert.Equal(SampleKind.FloatingPoint, sum.Kind);
        Assert.Equal(3.5, sum.Real);
    }

    [Theory]
    [InlineData(7, 2, 3)]
    [InlineData(-7, 2, -4)]
    [InlineData(7, -2, -4)]
    [InlineData(-8, 2, -4)]
    [InlineData(514, 5, 102)]
    public void IntegerDivisionFloorsAsRubyDoes(long sum, long divisor, long expected)
    {
        var quotient = RubyArithmetic.Divide(Sample.Of(new BigInteger(sum)), divisor);

        Assert.Equal(new BigInteger(expected), quotient!.Value.Whole);
        Assert.Equal(SampleKind.WholeNumber, quotient.Value.Kind);
    }

    [Fact]
    public void IntegerDivisionByZeroHasNoResult() => Assert.Null(RubyArithmetic.Divide(Sample.Of(BigInteger.One), 0));

    [Fact]
    public void EventCounterDifferenceIsExactForIntegers() =>
        Assert.Equal(new BigInteger(1600), RubyArithmetic.Subtract(Sample.Of(new BigInteger(2600)), Sample.Of(new BigInteger(1000))).Whole);

    [Theory]
    [InlineData(100.0, "100.0")]
    [InlineData(2.5, "2.5")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(11.0, "11.0")]
    [InlineData(123456789012345.0, "123456789012345.0")]
    [InlineData(1e15, "1.0e+15")]
    [InlineData(1234567890123456.0, "1.234567890123456e+15")]
    [InlineData(1e16, "1.0e+16")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1.0e-05")]
    [InlineData(0.00012, "0.00012")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(0.0, "0.0")]
    public void FloatsAreWrittenAsRubyWritesThem(double value, string expected) => Assert.Equal(expected, RubyFloat.ToString(value));
}
