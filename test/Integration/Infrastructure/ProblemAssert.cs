using System.Net;
using System.Text.Json.Nodes;

namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>Checks that a response is the problem a client's mistake deserves: the status, and a message naming the field.</summary>
public static class ProblemAssert
{
    public static async Task IsAsync(HttpResponseMessage response, HttpStatusCode status, string field, string why)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{why}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var problem = JsonNode.Parse(text)!;
        Assert.True(problem["errors"]?[field] is JsonArray { Count: > 0 }, $"{why}: no message for '{field}' in {text}");
        Assert.Contains(field, problem["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
