using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace CompassCi.Silo.Logging;

/// <summary>
/// The console logger of the silo: the lines the framework's console logger would write (its formatter, simple or JSON,
/// chosen and configured as for it: <c>Logging:Console</c>, <see cref="ConsoleLoggerOptions.FormatterName"/>), written in
/// batches by <see cref="ConsoleBatchWriter"/> rather than one system call and one thread wake-up per line.
/// </summary>
[ProviderAlias("Console")]
internal sealed class BatchedConsoleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConsoleBatchWriter _writer = new(Console.OpenStandardOutput(), Console.OpenStandardError());

    public BatchedConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.CurrentValue;
        var name = Options.FormatterName ?? ConsoleFormatterNames.Simple;
        Formatter = formatters.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? formatters.First(f => f.Name == ConsoleFormatterNames.Simple);
        // The lines of the last moments before an exit or a crash are written too, whether or not anything disposes this.
        AppDomain.CurrentDomain.ProcessExit += WriteTheRest;
        AppDomain.CurrentDomain.UnhandledException += WriteTheRest;
    }

    internal ConsoleLoggerOptions Options { get; }

    internal ConsoleFormatter Formatter { get; }

    internal ConsoleBatchWriter Writer => _writer;

    internal IExternalScopeProvider Scopes { get; private set; } = new LoggerExternalScopeProvider();

    public ILogger CreateLogger(string categoryName) => new BatchedConsoleLogger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => Scopes = scopeProvider;

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= WriteTheRest;
        AppDomain.CurrentDomain.UnhandledException -= WriteTheRest;
        _writer.Dispose();
    }

    private void WriteTheRest(object? sender, EventArgs e) => _writer.Dispose();
}
