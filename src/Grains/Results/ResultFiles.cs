using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Results;

/// <summary>
/// The results folder on disk: <c>&lt;Root&gt;/result/…</c>. Writes go through a temporary file in the same folder that is
/// renamed into place only when the whole body arrived within the limits, so a reader never sees half a file and a
/// client that hangs up leaves nothing behind. No path here follows a symbolic link: one anywhere on the way is refused.
/// </summary>
public sealed class ResultFiles(IOptions<ResultOptions> options, IConfiguration configuration)
{
    private const int BufferBytes = 81_920;

    private readonly ResultOptions _options = options.Value;

    /// <summary>The results folder (the parent of <c>result/</c>).</summary>
    public string Root { get; } = options.Value.RootOrDefault(configuration["CompassCi:DataDirectory"] is { Length: > 0 } data ? data : ".data");

    /// <summary>The file system path of <paramref name="names"/> (the names below <c>/result</c>).</summary>
    public string FullPath(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return Path.Combine([Root, "result", .. names]);
    }

    /// <summary>The folder of a job's uploads: where its <paramref name="resultRoot"/> (<c>/result/…</c>) lies on disk.</summary>
    public string FolderOf(string resultRoot) => FullPath([.. ResultRoot.Segments(resultRoot).Skip(1)]);

    /// <summary>The first of <paramref name="names"/>' folders (or itself) that is a symbolic link, as <c>/result/…</c>; null when none is.</summary>
    public string? SymlinkOn(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        for (var count = 0; count <= names.Count; count++)
        {
            var prefix = names.Take(count).ToList();
            var info = new FileInfo(FullPath(prefix));
            if (info.LinkTarget is not null)
            {
                return ResultRoot.Prefix + string.Concat(prefix.Select(n => "/" + n));
            }

            if (!info.Exists && !Directory.Exists(info.FullName))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// MKCOL: creates the collection <paramref name="names"/> inside the job's result_root (<paramref name="rootDepth"/>
    /// names long). Its parent must exist, unless the parent is the result_root or above it: those are made on the first
    /// write.
    /// </summary>
    public ResultWrite MakeCollection(IReadOnlyList<string> names, int rootDepth)
    {
        var path = FullPath(names);
        if (Directory.Exists(path))
        {
            return new ResultWrite(ResultWriteStatus.Exists, $"{Text(names)}/ already exists");
        }

        if (File.Exists(path))
        {
            return new ResultWrite(ResultWriteStatus.WrongKind, $"{Text(names)} is a file");
        }

        if (ParentProblem(names, rootDepth) is { } missing)
        {
            return missing;
        }

        Directory.CreateDirectory(path);
        return new ResultWrite(ResultWriteStatus.Created);
    }

    /// <summary>
    /// PUT: writes <paramref name="body"/> as the file <paramref name="names"/>, replacing one that is there; refused with
    /// <see cref="ResultWriteStatus.TooLarge"/> as soon as it would pass <see cref="ResultOptions.MaxFileBytes"/> or take
    /// the job's files (under its result_root, the first <paramref name="rootDepth"/> names) past
    /// <see cref="ResultOptions.MaxJobBytes"/>. Nothing is left behind when it is refused or the body breaks off.
    /// </summary>
    public async Task<ResultWrite> PutAsync(IReadOnlyList<string> names, int rootDepth, Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(body);
        var path = FullPath(names);
        if (Directory.Exists(path))
        {
            return new ResultWrite(ResultWriteStatus.WrongKind, $"{Text(names)} is a collection; PUT writes files");
        }

        if (ParentProblem(names, rootDepth) is { } missing)
        {
            return missing;
        }

        var replaced = File.Exists(path);
        var jobFolder = FullPath([.. names.Take(rootDepth)]);
        var used = JobBytes(jobFolder) - (replaced ? LengthOrZero(new FileInfo(path)) : 0);
        var room = Math.Min(_options.MaxFileBytes, _options.MaxJobBytes - used);
        if (contentLength > room)
        {
            return TooLarge(names, used);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, ResultPath.TemporaryPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, useAsync: true))
            {
                var buffer = new byte[BufferBytes];
                long written = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    written += read;
                    if (written > room)
                    {
                        return TooLarge(names, used);
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
            }

            // rename(2): the file appears whole, or the old one stays.
            File.Move(temporary, path, overwrite: true);
            return new ResultWrite(replaced ? ResultWriteStatus.Replaced : ResultWriteStatus.Created);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>What <paramref name="names"/> is: a file, a collection, or nothing (a temporary upload counts as nothing).</summary>
    public FileSystemInfo? Find(IReadOnlyList<string> names)
    {
        var path = FullPath(names);
        return Directory.Exists(path) ? new DirectoryInfo(path)
            : File.Exists(path) ? new FileInfo(path)
            : null;
    }

    /// <summary>The entries of a collection, by name, without symbolic links and uploads still under way.</summary>
    public static IReadOnlyList<FileSystemInfo> List(DirectoryInfo collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        return [.. collection.EnumerateFileSystemInfos()
            .Where(e => e.LinkTarget is null && !e.Name.StartsWith(ResultPath.TemporaryPrefix, StringComparison.Ordinal))
            .OrderBy(e => e.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// A missing parent below the result_root is the client's mistake (409, RFC 4918: MKCOL it first); the result_root
    /// and the folders above it are made here, on the job's first write.
    /// </summary>
    private ResultWrite? ParentProblem(IReadOnlyList<string> names, int rootDepth)
    {
        var parent = names.Take(names.Count - 1).ToList();
        return parent.Count <= rootDepth || Directory.Exists(FullPath(parent))
            ? null
            : new ResultWrite(ResultWriteStatus.ParentMissing, $"{Text(parent)}/ does not exist; create it with MKCOL first");
    }

    private ResultWrite TooLarge(IReadOnlyList<string> names, long used) => new(
        ResultWriteStatus.TooLarge,
        $"{Text(names)} is larger than allowed: at most {Bytes(_options.MaxFileBytes)} per file ({ResultOptions.Section}:{nameof(ResultOptions.MaxFileBytes)}) " +
        $"and {Bytes(_options.MaxJobBytes)} per job ({ResultOptions.Section}:{nameof(ResultOptions.MaxJobBytes)}), of which the job's files take {Bytes(used)}");

    /// <summary>
    /// The bytes the files under a job's folder take (links are not followed), uploads in progress included. Other
    /// uploads of the job run meanwhile: a file renamed or deleted while this counts is skipped, not an error.
    /// </summary>
    private static long JobBytes(string folder) => !Directory.Exists(folder) ? 0 :
        new DirectoryInfo(folder)
            .EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .Sum(LengthOrZero);

    /// <summary>The file's length; 0 when it is gone (a concurrent upload's temporary file renamed into place).</summary>
    private static long LengthOrZero(FileInfo file)
    {
        try
        {
            return file.Length;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }

    private static string Bytes(long count) => count.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

    private static string Text(IReadOnlyList<string> names) => ResultRoot.Prefix + string.Concat(names.Select(n => "/" + n));
}
