using System.Globalization;
using System.Text;

namespace CompassCi.Grains.Compat.JobInitrd;

/// <summary>One member of a cpio archive: a directory (no content) or a regular file.</summary>
/// <param name="Name">The path inside the archive, relative, with '/' separators (<c>lkp/scheduled/job.sh</c>).</param>
/// <param name="Mode">The permission bits (0755 as bits); the type bits come from <see cref="Content"/> being null or not.</param>
/// <param name="Content">The file's bytes; null for a directory.</param>
public sealed record CpioEntry(string Name, int Mode, byte[]? Content)
{
    /// <summary>A directory.</summary>
    public static CpioEntry Directory(string name, int mode) => new(name, mode, null);

    /// <summary>A regular file.</summary>
    public static CpioEntry File(string name, int mode, byte[] content) => new(name, mode, content);
}

/// <summary>
/// The SVR4 "new ASCII" cpio format (<c>070701</c>, what <c>cpio -H newc</c> writes and what the kernel's initramfs
/// unpacker and lkp's <c>cpio -id</c> read). Every header field that would come from a file system (inode, owner,
/// device, time) is fixed here, so that the archive is a function of its entries alone: the same job gives the same
/// bytes on every silo and every fetch.
/// </summary>
public static class NewcCpio
{
    private const string Magic = "070701";
    private const string Trailer = "TRAILER!!!";
    private const int DirectoryType = 0x4000;  // S_IFDIR
    private const int RegularType = 0x8000;    // S_IFREG

    /// <summary>
    /// The archive of <paramref name="entries"/>, in order (a directory before what it holds, as the kernel needs),
    /// each owned by root and dated <paramref name="mtime"/> (unix seconds), then the trailer; padded to 512 bytes as
    /// <c>cpio -o</c> pads it.
    /// </summary>
    public static byte[] Write(IReadOnlyList<CpioEntry> entries, long mtime)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var output = new MemoryStream();
        var inode = 0;
        foreach (var entry in entries)
        {
            var isDirectory = entry.Content is null;
            var mode = (isDirectory ? DirectoryType : RegularType) | (entry.Mode & 0xFFF);
            WriteMember(output, entry.Name, ++inode, mode, nlink: isDirectory ? 2 : 1, mtime, entry.Content ?? []);
        }

        WriteMember(output, Trailer, 0, 0, nlink: 1, 0, []);
        Pad(output, 512);
        return output.ToArray();
    }

    private static void WriteMember(MemoryStream output, string name, int inode, int mode, int nlink, long mtime, byte[] content)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var header = new StringBuilder(Magic, 110);
        // c_ino c_mode c_uid c_gid c_nlink c_mtime c_filesize c_devmajor c_devminor c_rdevmajor c_rdevminor c_namesize c_check
        foreach (var field in new long[] { inode, mode, 0, 0, nlink, mtime, content.Length, 0, 0, 0, 0, nameBytes.Length + 1, 0 })
        {
            header.Append(field.ToString("X8", CultureInfo.InvariantCulture));
        }

        output.Write(Encoding.ASCII.GetBytes(header.ToString()));
        output.Write(nameBytes);
        output.WriteByte(0);
        // The name (after the 110-byte header) and the data each end on a 4-byte boundary.
        Pad(output, 4);
        output.Write(content);
        Pad(output, 4);
    }

    private static void Pad(MemoryStream output, int boundary)
    {
        while (output.Length % boundary != 0)
        {
            output.WriteByte(0);
        }
    }
}
