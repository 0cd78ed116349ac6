namespace CompassCi.Tests.Integration.Hosting;

/// <summary>
/// A test class whose silos run their own private MariaDB (as the README's run command does) in a fresh directory of
/// its own, deleted after the class's tests.
/// </summary>
public abstract class PrivateDataDirectory(string prefix) : IAsyncLifetime
{
    /// <summary>Where the silo keeps its data (its MariaDB under <c>mariadb/</c>).</summary>
    protected string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
