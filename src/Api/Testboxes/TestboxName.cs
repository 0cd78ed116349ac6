using CompassCi.Api.Http;
using CompassCi.Grains.Hosts;

namespace CompassCi.Api.Testboxes;

/// <summary>Testbox and host names in paths and bodies: the one machine-name grammar, answered as a 400 naming the field.</summary>
internal static class TestboxName
{
    /// <summary>A 400 naming the problem, or null when the name is fine.</summary>
    public static IResult? Problem(string testbox) => Problem("testbox", testbox);

    /// <summary>A 400 naming <paramref name="field"/>, or null when <paramref name="name"/> is a machine name.</summary>
    public static IResult? Problem(string field, string name) =>
        MachineName.Error(name) is { } error ? Problems.Field(field, error) : null;
}
