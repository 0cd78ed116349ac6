namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>Where the repository and its built silo are, found from the test binaries.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The silo built in the same configuration as these tests.</summary>
    public static string SiloDll
    {
        get
        {
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            var path = Path.Combine(Root, "src", "Silo", "bin", configuration, "net10.0", "CompassCi.Silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build the silo first: {path} is missing");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CompassCi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CompassCi.sln not found above " + AppContext.BaseDirectory);
    }
}
