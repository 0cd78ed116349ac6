using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Dispatch;
using CompassCi.Grains.Hosts;
using CompassCi.Grains.Json;
using CompassCi.Grains.Scheduling;

namespace CompassCi.Api.Testboxes;

/// <summary>
/// The body of a consume: <c>{"tags": {k: v}, "memory_gb": 64, "wait_seconds": 30, "request_id": "…"}</c>,
/// read field by field so every mistake names its field.
/// </summary>
public sealed record ConsumeBody(IReadOnlyDictionary<string, string> Tags, long MemoryMb, int WaitSeconds, string? RequestId, string? Host = null)
{
    public static (ConsumeBody? Body, Dictionary<string, string[]> Errors) Parse(ReadOnlyMemory<byte> bytes, int defaultWait, int maxWait)
    {
        var errors = new Dictionary<string, string[]>();
        var (parsed, error) = bytes.IsEmpty ? (new JsonObject(), null) : StrictJson.Parse(bytes.Span);
        if (parsed is not JsonObject root)
        {
            errors["body"] = [error ?? "must be a JSON object, like {\"tags\": {\"arch\": \"x86_64\"}}"];
            return (null, errors);
        }

        var offered = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (root["tags"])
        {
            case null:
                break;
            case JsonObject tags:
                foreach (var (k, v) in tags)
                {
                    if (v is JsonValue value && value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    {
                        offered[k] = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                    }
                    else
                    {
                        errors[$"tags.{k}"] = ["must be a string, number or boolean"];
                    }
                }

                break;
            default:
                errors["tags"] = ["must be an object of tag names to values, like {\"arch\": \"aarch64\"}"];
                break;
        }

        IReadOnlyDictionary<string, string> normalised = offered;
        if (errors.Count == 0)
        {
            var tagSet = TagSet.NormalizeOffer(offered);
            foreach (var (field, messages) in tagSet.Errors)
            {
                errors[field] = messages;
            }

            normalised = tagSet.Tags ?? offered;
        }

        var memoryMb = long.MaxValue;
        if (root["memory_gb"] is { } memoryNode)
        {
            if (memoryNode is JsonValue m && m.GetValueKind() == JsonValueKind.Number && m.GetValue<double>() is var gb && ConsumeRules.MemoryAllowed(gb))
            {
                memoryMb = ConsumeRules.MemoryMb(gb);
            }
            else
            {
                errors["memory_gb"] = [ConsumeRules.MemoryMessage];
            }
        }

        var wait = defaultWait;
        if (root["wait_seconds"] is { } waitNode)
        {
            if (waitNode is JsonValue w && w.GetValueKind() == JsonValueKind.Number && w.TryGetValue<int>(out var seconds) && seconds >= 0 && seconds <= maxWait)
            {
                wait = seconds;
            }
            else
            {
                errors["wait_seconds"] = [ConsumeRules.WaitMessage(maxWait)];
            }
        }

        string? requestId = null;
        if (root["request_id"] is { } idNode)
        {
            var id = idNode is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : string.Empty;
            if (ConsumeRules.RequestIdError(id) is { } idError)
            {
                errors["request_id"] = [idError];
            }
            else
            {
                requestId = id;
            }
        }

        var host = ReadHost(root, errors);
        return errors.Count > 0 ? (null, errors) : (new ConsumeBody(normalised, memoryMb, wait, requestId, host), errors);
    }

    /// <summary>The optional <c>host</c> a testbox runs on (heartbeats send it too); null means derive it from the name.</summary>
    public static string? ReadHost(JsonObject root, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(errors);
        if (root["host"] is not { } node)
        {
            return null;
        }

        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
        {
            errors["host"] = [$"must be the name of the machine the testbox runs on, a string, not {node.ToJsonString()}"];
            return null;
        }

        var host = v.GetValue<string>();
        if (MachineName.Error(host) is { } error)
        {
            errors["host"] = [error];
            return null;
        }

        return host;
    }
}
