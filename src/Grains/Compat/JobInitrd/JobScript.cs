using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Compat.JobInitrd;

/// <summary>
/// <c>lkp/scheduled/job.sh</c> as this lkp-tests reads it: lkp-bootstrap sources it and calls <c>export_top_env</c>
/// (the form compass-ci wrote before it switched to <c>read_job_vars</c>), then run-lkp calls its <c>run_job</c>,
/// <c>extract_stats</c>, … by name through the trailing <c>"$@"</c>. The functions come from the submitter's
/// <c>job2sh</c> lines; <c>export_top_env</c> is written here from the job as handed out.
/// </summary>
public static class JobScript
{
    /// <summary>The script for <paramref name="job"/> and the submitter's <paramref name="job2sh"/>.</summary>
    public static string Of(JsonObject job, JsonNode? job2sh)
    {
        ArgumentNullException.ThrowIfNull(job);
        var script = new StringBuilder("#!/bin/sh\n\n");
        script.Append("export_top_env()\n{\n");
        foreach (var (name, value) in job)
        {
            if (ShellWord.IsVariableName(name) && ShellText(value) is { Length: > 0 } text)
            {
                script.Append("\texport ").Append(name).Append('=').Append(ShellWord.Quote(text)).Append('\n');
            }
        }

        // As lkp's own job2sh: LKP_SRC defaults to where lkp-bootstrap installs the client.
        script.Append("\n\t[ -n \"$LKP_SRC\" ] ||\n\texport LKP_SRC=/lkp/${user:-lkp}/src\n}\n\n");
        foreach (var line in Job2ShLines(job2sh))
        {
            script.Append(line);
            if (!line.EndsWith('\n'))
            {
                script.Append('\n');
            }
        }

        script.Append("\"$@\"\n");
        return script.ToString();
    }

    /// <summary>
    /// A top-level value as the text a variable holds: a scalar as written, a list of scalars one per line (as lkp
    /// and compass-ci join them); null for what is no variable (null, a mapping, a list holding collections).
    /// </summary>
    private static string? ShellText(JsonNode? value) => value switch
    {
        JsonValue scalar => ScalarText(scalar),
        JsonArray items when items.All(i => i is null or JsonValue) => string.Join('\n', items.Select(i => i is JsonValue v ? ScalarText(v) : "")),
        _ => null,
    };

    private static string ScalarText(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    /// <summary>
    /// The job2sh lines, part after part in the order sent (lkp: run_job, extract_stats, define_files, on_fail; a null
    /// part is skipped). Each part is a list of lines, where lkp's generator leaves <c>null</c> for a blank line
    /// (compass-ci wrote it as one); a line may itself be a list of lines.
    /// </summary>
    private static IEnumerable<string> Job2ShLines(JsonNode? job2sh)
    {
        if (job2sh is not JsonObject parts)
        {
            yield break;
        }

        foreach (var (_, part) in parts)
        {
            if (part is null)
            {
                continue;
            }

            foreach (var line in Lines(part))
            {
                yield return line;
            }
        }
    }

    private static IEnumerable<string> Lines(JsonNode? node) => node switch
    {
        null => [""],
        JsonArray items => items.SelectMany(Lines),
        JsonValue value => [ScalarText(value)],
        _ => [],
    };
}
