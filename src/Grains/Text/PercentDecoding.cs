using System.Text;

namespace CompassCi.Grains.Text;

/// <summary>Percent-decoding to bytes, for the checks that must see what an escape stands for before trusting it as text.</summary>
public static class PercentDecoding
{
    /// <summary>The bytes <paramref name="encoded"/> stands for; null when an escape is broken.</summary>
    public static byte[]? Bytes(string encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(encoded[i].ToString()));
                continue;
            }

            if (i + 2 >= encoded.Length || !Uri.IsHexDigit(encoded[i + 1]) || !Uri.IsHexDigit(encoded[i + 2]))
            {
                return null;
            }

            bytes.Add(Convert.ToByte(encoded.Substring(i + 1, 2), 16));
            i += 2;
        }

        return [.. bytes];
    }
}
