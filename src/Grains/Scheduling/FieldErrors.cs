namespace CompassCi.Grains.Scheduling;

/// <summary>Collects validation messages by field, keeping the order fields were first reported in.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _messages = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public int Count => _order.Count;

    public void Add(string field, string message)
    {
        if (!_messages.TryGetValue(field, out var list))
        {
            _messages[field] = list = [];
            _order.Add(field);
        }

        list.Add(message);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary()
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var field in _order)
        {
            result[field] = [.. _messages[field]];
        }

        return result;
    }
}
