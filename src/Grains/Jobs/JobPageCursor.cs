using System.Globalization;
using System.Text;

namespace CompassCi.Grains.Jobs;

/// <summary>
/// Opaque page cursors of job lists (the REST API's <c>next</c>, <see cref="JobPage.Next"/>): the last id of a page,
/// so clients do not build them by hand. One format for both front doors, so a cursor from one works on the other.
/// </summary>
public static class JobPageCursor
{
    private const string Prefix = "before:";

    /// <summary>The message for a cursor this server did not give out.</summary>
    public const string InvalidMessage = "is not a cursor this server gave out; pass the 'next' value of the previous page";

    /// <summary>The cursor of the page after one ending with <paramref name="lastId"/>.</summary>
    public static string Encode(long lastId) =>
        System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + lastId.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The last id of the page before <paramref name="cursor"/>; false when it is not a cursor of ours.</summary>
    public static bool TryDecode(string cursor, out long lastId)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        lastId = 0;
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(text[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out lastId) && lastId > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
