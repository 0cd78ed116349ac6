using CompassCi.Tests.Fixtures;

namespace CompassCi.Tests.Unit.Results;

/// <summary>A private copy of a result folder (extraction writes into it), deleted afterwards.</summary>
internal sealed class ResultFolder : IDisposable
{
    private ResultFolder(string path) => Path = path;

    public string Path { get; }

    /// <summary>A copy of the fixture folder <c>Fixtures/lkp/results/<paramref name="name"/></c>.</summary>
    public static ResultFolder CopyOf(string name)
    {
        var folder = Empty();
        foreach (var file in Directory.GetFiles(System.IO.Path.Combine(LkpFixtures.Root, "results", name)))
        {
            System.IO.File.Copy(file, System.IO.Path.Combine(folder.Path, System.IO.Path.GetFileName(file)));
        }

        return folder;
    }

    public static ResultFolder Empty()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "compassci-results-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return new ResultFolder(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Write(string name, string text) => System.IO.File.WriteAllText(File(name), text);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
