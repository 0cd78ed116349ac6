using System.Collections;

namespace CompassCi.Grains.Logging;

/// <summary>
/// The state of a log scope: a few named fields (<see cref="LogFields"/>). Being a list of key/value pairs, every logging
/// provider that includes scopes writes them as fields of their own (the JSON console as properties of a scope, OTLP as
/// attributes) rather than as text; <see cref="ToString"/> is the text form the simple console shows.
/// </summary>
public sealed class LogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _fields;

    private LogScope(KeyValuePair<string, object?>[] fields) => _fields = fields;

    /// <summary>A scope of one field.</summary>
    public static LogScope Of(string field, object? value) => new([new(field, value)]);

    /// <summary>A scope of two fields.</summary>
    public static LogScope Of(string field, object? value, string otherField, object? otherValue) =>
        new([new(field, value), new(otherField, otherValue)]);

    /// <summary>A scope of three fields.</summary>
    public static LogScope Of(string field, object? value, string secondField, object? secondValue, string thirdField, object? thirdValue) =>
        new([new(field, value), new(secondField, secondValue), new(thirdField, thirdValue)]);

    public int Count => _fields.Length;

    public KeyValuePair<string, object?> this[int index] => _fields[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_fields).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>logfmt: <c>job_id=42 testbox=vm-2p8g--1</c>.</summary>
    public override string ToString() => string.Join(' ', _fields.Select(f => $"{f.Key}={f.Value}"));
}
