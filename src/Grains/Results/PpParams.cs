using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Results;

/// <summary>
/// A job's <c>pp</c> (program parameters: <c>pp.&lt;program&gt;.&lt;option&gt;</c>) flattened to <c>program.option</c> =
/// text, as compass-ci does before it builds <c>result_root</c> and <c>all_params_md5</c> (compass-ci
/// <c>src/scheduler/pp_params.cr</c> <c>flat_hh</c>, with the value typing of <c>src/lib/job.cr</c> <c>add2hh</c>).
/// </summary>
public static class PpParams
{
    /// <summary>
    /// The flat parameters: a program whose value is not an object is skipped; an option's value becomes text (null: empty,
    /// an array: its elements' text joined with newlines, a number or boolean: its JSON text); values starting with
    /// <c>_</c> are left out (compass-ci: "config options that won't impact test result").
    /// </summary>
    public static IReadOnlyDictionary<string, string> Flatten(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document["pp"] is not JsonObject pp)
        {
            return flat;
        }

        foreach (var (program, options) in pp)
        {
            if (options is not JsonObject optionValues)
            {
                continue;
            }

            foreach (var (option, value) in optionValues)
            {
                var text = Text(value);
                if (!text.StartsWith('_'))
                {
                    flat[$"{program}.{option}"] = text;
                }
            }
        }

        return flat;
    }

    /// <summary>A JSON value as compass-ci's job typing turns it into text.</summary>
    internal static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonArray array => string.Join('\n', array.Select(ScalarText)),
        _ => ScalarText(value),
    };

    /// <summary>Optional top-level text fields (<c>os</c>, <c>arch</c>, …): null when absent or null.</summary>
    internal static string? Field(JsonObject document, string name) =>
        document[name] is { } value && value.GetValueKind() != JsonValueKind.Null ? Text(value) : null;

    private static string ScalarText(JsonNode? value) =>
        value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String ? scalar.GetValue<string>()
        : value is null ? "" : value.ToJsonString();
}
