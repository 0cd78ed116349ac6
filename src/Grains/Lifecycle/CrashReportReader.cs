using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Scheduling;

namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// Reads the <c>crash</c> object of a finish request:
/// <c>{"notify": "lab|task|scheduler|unknown", "cause": "testbox|task|network|scheduler|unknown", "fatal": bool, "keyvals": {…}}</c>.
/// </summary>
/// <remarks>
/// Missing or null <c>notify</c> and <c>cause</c> mean <c>unknown</c> (a reporter that cannot tell should not have to
/// guess), <c>fatal</c> defaults to false and <c>keyvals</c> to empty. Unknown fields are errors rather than ignored,
/// so a misspelt <c>"casue": "task"</c> cannot quietly turn a task crash into a rescheduled unknown one.
/// </remarks>
public static class CrashReportReader
{
    /// <summary>The field the crash object sits under in a finish request; error fields start with it.</summary>
    public const string Field = "crash";

    private static readonly string[] Fields = ["notify", "cause", "fatal", "keyvals"];

    /// <summary>
    /// Reads <paramref name="crash"/>, reporting every problem under the field it is in (<c>crash.cause</c>,
    /// <c>crash.keyvals.url</c>).
    /// </summary>
    /// <returns>
    /// The report, or errors; when <paramref name="crash"/> is null, neither (no crash was reported: use
    /// <see cref="CrashReport.Unknown"/> if the job did crash).
    /// </returns>
    public static CrashReportResult Read(JsonObject? crash)
    {
        var errors = new FieldErrors();
        if (crash is null)
        {
            return new CrashReportResult(null, errors.ToDictionary());
        }

        foreach (var (key, _) in crash)
        {
            if (!Fields.Contains(key, StringComparer.Ordinal))
            {
                errors.Add($"{Field}.{key}", $"is not a crash field; use {string.Join(", ", Fields)}");
            }
        }

        var notify = ReadChoice(crash, "notify", "a party to notify", CrashNotify.All, CrashNotify.Unknown, errors);
        var cause = ReadChoice(crash, "cause", "a cause", CrashCause.All, CrashCause.Unknown, errors);
        var fatal = ReadFatal(crash, errors);
        var keyvals = ReadKeyvals(crash, errors);

        return errors.Count > 0
            ? new CrashReportResult(null, errors.ToDictionary())
            : new CrashReportResult(new CrashReport(notify, cause, fatal, keyvals), errors.ToDictionary());
    }

    /// <summary>
    /// Reads <paramref name="crash"/> as it sits in a request body, where it may be any JSON value; anything but an
    /// object (or null) is an error under <c>crash</c>.
    /// </summary>
    public static CrashReportResult Read(JsonNode? crash)
    {
        if (crash is null or JsonObject)
        {
            return Read(crash as JsonObject);
        }

        var errors = new FieldErrors();
        errors.Add(Field, $"must be an object like {{\"notify\": \"lab\", \"cause\": \"testbox\", \"fatal\": false, \"keyvals\": {{}}}}, not {crash.ToJsonString()}");
        return new CrashReportResult(null, errors.ToDictionary());
    }

    private static string ReadChoice(JsonObject crash, string name, string what, IReadOnlyList<string> allowed, string fallback, FieldErrors errors)
    {
        var field = $"{Field}.{name}";
        if (crash[name] is not { } node)
        {
            return fallback;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors.Add(field, $"must be a string, not {node.ToJsonString()}");
            return fallback;
        }

        var value = node.GetValue<string>();
        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        errors.Add(field, $"'{value}' is not {what}; use one of {string.Join(", ", allowed)}");
        return fallback;
    }

    private static bool ReadFatal(JsonObject crash, FieldErrors errors)
    {
        switch (crash["fatal"]?.GetValueKind())
        {
            case null:
                return false;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                errors.Add($"{Field}.fatal", $"must be true or false, not {crash["fatal"]!.ToJsonString()}");
                return false;
        }
    }

    private static Dictionary<string, string> ReadKeyvals(JsonObject crash, FieldErrors errors)
    {
        var keyvals = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (crash["keyvals"])
        {
            case null:
                return keyvals;
            case JsonObject map:
                foreach (var (key, node) in map)
                {
                    if (key.Length == 0)
                    {
                        errors.Add($"{Field}.keyvals", "has an empty name; every value needs a name");
                    }
                    else if (ScalarText(node) is { } value)
                    {
                        keyvals[key] = value;
                    }
                    else
                    {
                        errors.Add($"{Field}.keyvals.{key}", $"must be a string, number or boolean, not {node?.ToJsonString() ?? "null"}");
                    }
                }

                return keyvals;
            case var other:
                errors.Add($"{Field}.keyvals", $"must be an object of names to strings, numbers or booleans, like {{\"step\": \"minion_creation\"}}, not {other.ToJsonString()}");
                return keyvals;
        }
    }

    /// <summary>A scalar's text: strings as they are, numbers and booleans as JSON spells them.</summary>
    private static string? ScalarText(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.String => node.GetValue<string>(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => node.ToJsonString(),
        _ => null,
    };
}
