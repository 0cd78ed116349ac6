using System.Text.Json.Nodes;
using CompassCi.Grains.Lifecycle;

namespace CompassCi.Tests.Unit.Lifecycle;

public sealed class MaxAttemptsTests
{
    [Theory]
    [InlineData("{}", null)]
    [InlineData("{\"max_attempts\": null}", null)]
    [InlineData("{\"max_attempts\": 0}", 0)]
    [InlineData("{\"max_attempts\": 5}", 5)]
    [InlineData("{\"max_attempts\": \"7\"}", 7)]
    [InlineData("{\"max_attempts\": 20}", 20)]
    public void Reads_absent_numbers_and_digit_strings(string json, int? expected)
    {
        var (value, error) = MaxAttempts.Read((JsonObject)JsonNode.Parse(json)!);

        Assert.Null(error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("{\"max_attempts\": -1}")]
    [InlineData("{\"max_attempts\": 21}")]
    [InlineData("{\"max_attempts\": 1.5}")]
    [InlineData("{\"max_attempts\": \"many\"}")]
    [InlineData("{\"max_attempts\": true}")]
    [InlineData("{\"max_attempts\": [3]}")]
    public void Rejects_anything_but_a_whole_number_in_range(string json)
    {
        var (value, error) = MaxAttempts.Read((JsonObject)JsonNode.Parse(json)!);

        Assert.Null(value);
        Assert.Contains("0 to 20", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_falls_back_to_the_policy_default_when_the_job_sets_none()
    {
        Assert.Equal(3, MaxAttempts.Of("{\"suite\": \"s\"}", 3));
        Assert.Equal(1, MaxAttempts.Of("{\"max_attempts\": 1}", 3));
    }
}
