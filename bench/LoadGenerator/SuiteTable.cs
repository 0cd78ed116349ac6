using System.Globalization;
using System.Text;

namespace CompassCi.LoadGenerator;

/// <summary>Renders the suite's rows as one Markdown table: figure | before | after | after/before | target | met.</summary>
public static class SuiteTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(IReadOnlyList<SuiteRow> rows, bool withBefore)
    {
        var header = withBefore
            ? new[] { "figure", "before", "after", "after/before", "target", "met" }
            : ["figure", "value", "target", "met"];
        var cells = rows.Select(r => withBefore
            ? new[] { r.Figure, Format(r.Kind, r.Before), Format(r.Kind, r.After), r.Ratio is { } x ? x.ToString("0.00", Invariant) + "×" : "—", Target(r), Met(r) }
            : [r.Figure, Format(r.Kind, r.After), Target(r), Met(r)]).ToList();

        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var text = new StringBuilder();
        Line(text, header, widths);
        text.Append('|').AppendJoin('|', widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")).Append("|\n");
        foreach (var row in cells)
        {
            Line(text, row, widths);
        }

        return text.ToString();
    }

    /// <summary>A figure as the table shows it; "—" when it was not measured.</summary>
    public static string Format(FigureKind kind, double? value) => value is not { } v ? "—" : kind switch
    {
        FigureKind.Rate => v.ToString("N0", Invariant),
        FigureKind.Milliseconds or FigureKind.Seconds or FigureKind.Ratio => v.ToString("0.00", Invariant),
        FigureKind.Mebibytes => (v / (1024 * 1024)).ToString("0.0", Invariant) + " MiB",
        FigureKind.Bytes => v.ToString("N0", Invariant),
        FigureKind.PassFail => v == 1 ? "PASS" : "FAIL",
        _ => throw new InvalidOperationException($"unknown kind {kind}"),
    };

    private static string Target(SuiteRow row) => row.Kind == FigureKind.PassFail ? "PASS" : row.Target?.ToString() ?? "";

    private static string Met(SuiteRow row) => row.TargetMet switch
    {
        true => "✓",
        false => "✗",
        null => row.Target is null && row.Kind != FigureKind.PassFail ? "" : "—",
    };

    private static void Line(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append('|');
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(' ').Append(i == 0 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i])).Append(" |");
        }

        text.Append('\n');
    }
}
