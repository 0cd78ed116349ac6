using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace CompassCi.Silo.Logging;

/// <summary>One category's logger of <see cref="BatchedConsoleLoggerProvider"/>: formats the line, hands it to the writer.</summary>
internal sealed class BatchedConsoleLogger(string category, BatchedConsoleLoggerProvider provider) : ILogger
{
    /// <summary>Each thread formats into its own writer, reused: a line costs no new buffer.</summary>
    [ThreadStatic]
    private static StringWriter? t_line;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => provider.Scopes.Push(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var line = t_line ??= new StringWriter(new StringBuilder(256));
        var entry = new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter);
        provider.Formatter.Write(in entry, provider.Scopes, line);
        var text = line.GetStringBuilder();
        if (text.Length == 0)
        {
            return;
        }

        provider.Writer.Append(text, logLevel >= provider.Options.LogToStandardErrorThreshold, urgent: logLevel >= LogLevel.Warning);
        text.Clear();
        if (text.Capacity > 16 * 1024)
        {
            text.Capacity = 256;
        }
    }
}
