using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Storage;

namespace CompassCi.Grains.Submit;

/// <summary>
/// Reads a job's <c>submit_id</c>: the client's name for this submit, unique per account, that makes it safe to send
/// again after a lost answer. The key also keeps a digest of the document, so that the same id with a different job
/// is told apart from a repeat.
/// </summary>
public static class SubmitIds
{
    /// <summary>The job field.</summary>
    public const string Field = "submit_id";

    /// <summary>The longest <c>submit_id</c> (the column's width).</summary>
    public const int MaxLength = ColumnLimits.SubmitId;

    /// <summary>
    /// The submit key of <paramref name="document"/> (read before the scheduler adds anything to it); null without a
    /// <c>submit_id</c>. An id that is not a non-empty string of printable characters, at most 128, is an error.
    /// </summary>
    public static (SubmitKey? Key, string? Error) Read(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!document.TryGetPropertyValue(Field, out var node))
        {
            return (null, null);
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String || value.GetValue<string>() is not { Length: > 0 and <= MaxLength } id || id.Any(char.IsControl))
        {
            return (null, $"must be a string of 1 to {MaxLength} printable characters that names this submit, unique within the account");
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())));
        return (new SubmitKey(document["my_account"]!.GetValue<string>(), id, digest), null);
    }
}
