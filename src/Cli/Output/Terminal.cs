using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace CompassCi.Cli.Output;

/// <summary>
/// What cci prints: Spectre.Console tables and colours on a terminal; plain tab-separated lines, without escape codes,
/// when the output is redirected (to a file, a pipe, a test), so scripts can read it.
/// </summary>
internal static class Terminal
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>True when stdout is a terminal.</summary>
    public static bool Interactive { get; } = !Console.IsOutputRedirected;

    public static void Line(string text) => Console.Out.WriteLine(text);

    /// <summary>A message on stderr (a refusal, a usage problem), red on a terminal.</summary>
    public static void Error(string text)
    {
        if (!Console.IsErrorRedirected)
        {
            var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            error.MarkupLine($"[red]{Markup.Escape(text)}[/]");
        }
        else
        {
            Console.Error.WriteLine(text);
        }
    }

    /// <summary>A JSON value, indented.</summary>
    public static void Json(JsonNode? node) => Line(node?.ToJsonString(Indented) ?? "null");

    /// <summary>A table of rows; on a terminal with a title and borders, else a header line and one tab-separated line per row.</summary>
    public static void Table(string? title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        if (!Interactive)
        {
            Line(string.Join('\t', headers));
            foreach (var row in rows)
            {
                Line(string.Join('\t', row));
            }

            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        if (title is not null)
        {
            table.Title(Markup.Escape(title));
        }

        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn($"[bold]{Markup.Escape(header)}[/]"));
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
        }

        AnsiConsole.Write(table);
    }

    /// <summary>A heading before a section (a job's timeline, its stats).</summary>
    public static void Heading(string text)
    {
        if (Interactive)
        {
            AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(text)}[/]").LeftJustified());
        }
        else
        {
            Line($"== {text}");
        }
    }

    /// <summary>A JSON value as one cell of text: strings bare, null empty, objects and arrays as compact JSON.</summary>
    public static string Cell(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    /// <summary>Health in colour on a terminal: green success, red anything else.</summary>
    public static string Health(string? health) => health switch
    {
        null => "",
        _ when !Interactive => health,
        "success" => $"[green]{health}[/]",
        _ => $"[red]{Markup.Escape(health)}[/]",
    };

    /// <summary>Text to put in a line for <see cref="MarkupLine"/>: escaped on a terminal, as it is otherwise.</summary>
    public static string Esc(string text) => Interactive ? Spectre.Console.Markup.Escape(text) : text;

    /// <summary>A line that may hold markup from <see cref="Health"/> (other text through <see cref="Esc"/>).</summary>
    public static void MarkupLine(string markup)
    {
        if (Interactive)
        {
            AnsiConsole.MarkupLine(markup);
        }
        else
        {
            Line(markup);
        }
    }
}
