using System.Text.Json.Nodes;

namespace CompassCi.Grains.Results.Extraction;

/// <summary>What extraction made of a result folder (and wrote to its <c>stats.json</c> and <c>matrix.json</c>).</summary>
/// <param name="Stats">One value per stat key, ordered by key (ordinal).</param>
/// <param name="Matrix">Every monitor's samples merged, keys in file order (the <c>.time</c> columns included).</param>
/// <param name="Errids">The stat keys matching a failure pattern, sorted.</param>
/// <param name="MonitorFiles">How many monitor files were read and used.</param>
/// <param name="Problems">Each file or key that could not be used, and why. A testbox's bad file never fails extraction.</param>
public sealed record ExtractionResult(
    JsonObject Stats,
    JsonObject Matrix,
    IReadOnlyList<string> Errids,
    int MonitorFiles,
    IReadOnlyList<ExtractionProblem> Problems);

/// <summary>A file (or one of its keys) extraction could not use.</summary>
/// <param name="File">The file's name in the result folder.</param>
/// <param name="Message">What is wrong with it and what was done instead.</param>
public sealed record ExtractionProblem(string File, string Message)
{
    public override string ToString() => $"{File}: {Message}";
}
