namespace CompassCi.Tests.Integration.Cli;

/// <summary>An empty HOME for one cci test (removed after): cci finds no lkp-tests defaults there unless the test writes them.</summary>
public sealed class CciHome : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cci-home-").FullName;

    /// <summary>Writes <c>~/.config/compass-ci/&lt;relative&gt;</c> as lkp-tests' own setup does.</summary>
    public void WriteConfig(string relative, string text)
    {
        var file = System.IO.Path.Combine(Path, ".config", "compass-ci", relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
