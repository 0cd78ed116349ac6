using CompassCi.Api.Http;

namespace CompassCi.Api.Testboxes;

/// <summary>The one rule for a testbox name in a path: it becomes a tag and a column value.</summary>
internal static class TestboxName
{
    private const int MaxLength = 255;

    /// <summary>A 400 naming the problem, or null when the name is fine.</summary>
    public static IResult? Problem(string testbox) =>
        testbox.Length > MaxLength || testbox.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? Problems.Field("testbox", $"must be at most {MaxLength} characters with no spaces or control characters")
            : null;
}
