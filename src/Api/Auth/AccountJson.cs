using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Storage;

namespace CompassCi.Api.Auth;

/// <summary>Accounts on the wire (never their token's hash), and the checks of what a client sends for one.</summary>
public static class AccountJson
{
    /// <summary>The fields a client may set; anything else is named as unknown.</summary>
    private static readonly string[] Settable = ["my_email", "my_name", "shares", "queued_soft_limit", "queued_hard_limit", "running_limit", "disabled"];

    /// <summary>The most shares one account may have: enough for any weighting, far from overflow in fair-share sums.</summary>
    public const int MaxShares = 1_000_000;

    public static JsonObject Render(AccountRow row, string? newToken = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        var json = new JsonObject
        {
            ["my_account"] = row.Account,
            ["my_email"] = row.Email,
            ["my_name"] = row.Name,
            ["shares"] = row.Shares,
            ["queued_soft_limit"] = row.QueuedSoftLimit,
            ["queued_hard_limit"] = row.QueuedHardLimit,
            ["running_limit"] = row.RunningLimit,
            ["disabled"] = row.Disabled,
            ["created_at"] = JobJson.Time(row.CreatedAt),
            ["updated_at"] = JobJson.Time(row.UpdatedAt),
        };
        if (newToken is not null)
        {
            // Shown this once: only its HMAC is kept.
            json["my_token"] = newToken;
        }

        return json;
    }

    /// <summary>A problem with an account name, or null: what a job's my_account may be, and no '/' or space (it is a path segment).</summary>
    public static string? NameProblem(string name) =>
        name.Length == 0 ? "is empty"
        : name.Length > ColumnLimits.Account ? $"has {name.Length} characters; at most {ColumnLimits.Account}"
        : name.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c)) ? "has a '/', a space or a control character"
        : null;

    /// <summary>
    /// Applies the settable fields present in <paramref name="body"/> to <paramref name="row"/>, collecting every problem
    /// (unknown fields, wrong types, values out of range) in <paramref name="errors"/>.
    /// </summary>
    public static AccountRow Apply(JsonObject body, AccountRow row, Dictionary<string, string[]> errors, IEnumerable<string> alsoAllowed)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(errors);
        var allowed = Settable.Concat(alsoAllowed).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in body)
        {
            if (!allowed.Contains(name))
            {
                errors[name] = [$"is not a field of an account; use {string.Join(", ", Settable)}"];
            }
        }

        if (body.ContainsKey("my_email"))
        {
            row = row with { Email = Text(body, "my_email", errors) ?? row.Email };
        }

        if (body.ContainsKey("my_name"))
        {
            row = row with { Name = Text(body, "my_name", errors) ?? row.Name };
        }

        if (body.ContainsKey("shares"))
        {
            row = row with { Shares = Whole(body, "shares", 1, MaxShares, nullable: false, errors) ?? row.Shares };
        }

        if (body.ContainsKey("queued_soft_limit"))
        {
            row = row with { QueuedSoftLimit = Whole(body, "queued_soft_limit", 1, int.MaxValue, nullable: true, errors) };
        }

        if (body.ContainsKey("queued_hard_limit"))
        {
            row = row with { QueuedHardLimit = Whole(body, "queued_hard_limit", 1, int.MaxValue, nullable: true, errors) };
        }

        if (body.ContainsKey("running_limit"))
        {
            row = row with { RunningLimit = Whole(body, "running_limit", 1, int.MaxValue, nullable: true, errors) };
        }

        if (body.ContainsKey("disabled"))
        {
            if (body["disabled"] is { } flag && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                row = row with { Disabled = flag.GetValue<bool>() };
            }
            else
            {
                errors["disabled"] = ["must be true or false"];
            }
        }

        if (row.QueuedSoftLimit is { } soft && row.QueuedHardLimit is { } hard && soft > hard)
        {
            errors.TryAdd("queued_soft_limit", [$"is {soft}, above queued_hard_limit ({hard})"]);
        }

        return row;
    }

    /// <summary>A required text field of at most <see cref="ColumnLimits.AccountContact"/> characters.</summary>
    public static string? Text(JsonObject body, string name, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(errors);
        if (body[name] is not { } node || node.GetValueKind() != JsonValueKind.String)
        {
            errors[name] = ["is required: a string"];
            return null;
        }

        var text = node.GetValue<string>();
        var problem = text.Length > ColumnLimits.AccountContact ? $"has {text.Length} characters; at most {ColumnLimits.AccountContact}"
            : text.Any(char.IsControl) ? "has a control character"
            : null;
        if (problem is not null)
        {
            errors[name] = [problem];
            return null;
        }

        return text;
    }

    private static int? Whole(JsonObject body, string name, int min, int max, bool nullable, Dictionary<string, string[]> errors)
    {
        var node = body[name];
        if (node is null && nullable)
        {
            return null;
        }

        if (node is not null && node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<int>(out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}{(nullable ? ", or null for the configured default" : "")}"];
        return null;
    }
}
