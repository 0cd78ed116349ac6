using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CompassCi.Grains.Compat.Submit;

/// <summary>
/// lkp-tests' <c>sbin/submit</c> packs the client's own tree (changes since its tag) into the job as
/// <c>pkg_data: {"lkp-tests": {tag, md5, content: base64 cgz}}</c>, for the testbox to boot with. The cgz is kept once,
/// by its md5, as a file (<c>&lt;Results root&gt;/pkg/&lt;name&gt;/&lt;md5&gt;.cgz</c>), and its <c>content</c> leaves the document:
/// the jobs row holds the document, and megabytes of base64 in every row of a matrix would be stored eight times over.
/// <c>tag</c> and <c>md5</c> stay, so a boot answer can name the file as an initrd.
/// </summary>
public static partial class LkpPackages
{
    /// <summary>The job field.</summary>
    public const string Field = "pkg_data";

    /// <summary>One package to keep: its name, md5 and bytes (null when the file is already kept).</summary>
    public sealed record Package(string Name, string Md5, byte[]? Cgz);

    /// <summary>
    /// Reads and checks every package of <paramref name="document"/> (md5 of the decoded content), and removes each
    /// <c>content</c> from it. Errors name the field (<c>pkg_data.lkp-tests.md5</c>); then the document is unchanged.
    /// </summary>
    public static (IReadOnlyList<Package> Packages, IReadOnlyDictionary<string, string[]> Errors) Take(JsonObject document, string root)
    {
        ArgumentNullException.ThrowIfNull(document);
        var packages = new List<Package>();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        switch (document[Field])
        {
            case null:
                return (packages, errors);
            case JsonObject map:
                foreach (var (name, node) in map)
                {
                    if (Read(name, node, root, out var error) is { } package)
                    {
                        packages.Add(package);
                    }
                    else
                    {
                        errors[$"{Field}.{name}"] = [error!];
                    }
                }

                break;
            default:
                errors[Field] = ["must be a map of package names to {tag, md5, content}"];
                break;
        }

        if (errors.Count == 0)
        {
            foreach (var (_, node) in (JsonObject)document[Field]!)
            {
                ((JsonObject)node!).Remove("content");
            }
        }

        return (packages, errors);
    }

    /// <summary>Writes the packages not yet kept: into a file beside the target, renamed into place when whole.</summary>
    public static async Task KeepAsync(IEnumerable<Package> packages, string root, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        foreach (var package in packages.Where(p => p.Cgz is not null))
        {
            var target = PathOf(root, package.Name, package.Md5);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var aside = $"{target}.{Guid.NewGuid():N}.part";
            try
            {
                await File.WriteAllBytesAsync(aside, package.Cgz!, cancellationToken);
                // Same name, same md5, same bytes: a concurrent writer's file is as good as ours.
                File.Move(aside, target, overwrite: true);
            }
            finally
            {
                File.Delete(aside);
            }
        }
    }

    /// <summary>Where the package <paramref name="name"/> with <paramref name="md5"/> is kept.</summary>
    public static string PathOf(string root, string name, string md5) => Path.Combine(root, "pkg", name, md5 + ".cgz");

    private static Package? Read(string name, JsonNode? node, string root, out string? error)
    {
        error = null;
        if (!NamePattern().IsMatch(name))
        {
            error = "a package name is letters, digits, '.', '_' and '-', starting with a letter or digit";
            return null;
        }

        if (node is not JsonObject package)
        {
            error = "must be {tag, md5, content}";
            return null;
        }

        if (package["md5"] is not JsonValue md5Node || md5Node.GetValueKind() != JsonValueKind.String || !Md5Pattern().IsMatch(md5Node.GetValue<string>()))
        {
            error = "md5 must be the 32 lower-case hex digits of the cgz's md5";
            return null;
        }

        var md5 = md5Node.GetValue<string>();
        if (package["content"] is not { } content)
        {
            if (File.Exists(PathOf(root, name, md5)))
            {
                return new Package(name, md5, null);
            }

            error = $"content is missing, and no package with md5 {md5} is kept; send it with its content";
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = content.GetValueKind() == JsonValueKind.String ? Convert.FromBase64String(content.GetValue<string>()) : throw new FormatException();
        }
        catch (FormatException)
        {
            error = "content must be the cgz in base64";
            return null;
        }

        // MD5 is what lkp-tests names its package by and compass-ci checks it with: an integrity check against damage in
        // transit, not against an attacker (whoever sends a package chooses its bytes anyway).
#pragma warning disable CA5351
        var actual = Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351
        if (actual != md5)
        {
            error = $"content's md5 is {actual}, not the md5 given ({md5}): the package arrived damaged";
            return null;
        }

        return new Package(name, md5, bytes);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex Md5Pattern();
}
