using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CompassCi.Grains.Submit;

/// <summary>
/// Reads a YAML job into the JSON form jobs are kept in: mappings become objects, sequences arrays, plain
/// scalars are typed (<see cref="YamlScalar"/>), quoted scalars stay strings, and aliases are expanded.
/// </summary>
internal static class YamlJobParser
{
    /// <summary>The deepest nesting accepted; the same as System.Text.Json's default for JSON bodies.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The most values one job may expand to. Aliases let a few hundred bytes stand for billions of nodes;
    /// real jobs have a few hundred.
    /// </summary>
    public const int MaxNodes = 100_000;

    /// <summary>
    /// The most text (keys and scalars, in characters) one job may expand to: the request limit's 1 MiB, so that an
    /// alias repeated a hundred times cannot turn a 100 KiB body into a 10 MB document.
    /// </summary>
    public const int MaxExpandedCharacters = 1024 * 1024;

    private const string YamlStr = "tag:yaml.org,2002:str";
    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    /// <summary>Parses <paramref name="text"/>, which must hold exactly one YAML document.</summary>
    public static bool TryParse(string text, out JsonNode? root, [NotNullWhen(false)] out string? error)
    {
        JsonNode? single = null;
        var parsed = TryLoad(text, stream =>
        {
            switch (stream.Documents.Count)
            {
                case 0:
                    return "is empty: it holds no YAML document";
                case > 1:
                    return $"one job per request; this body has {stream.Documents.Count} YAML documents (matrix expansion is done by the client)";
            }

            single = new Expansion().Convert(stream.Documents[0].RootNode, 0);
            return null;
        }, out error);
        root = single;
        return parsed;
    }

    /// <summary>
    /// Parses every YAML document of <paramref name="text"/> (an lkp job file may hold several, split by <c>---</c>),
    /// under the same guards as <see cref="TryParse"/>; the node and character limits hold for all of them together.
    /// </summary>
    public static bool TryParseDocuments(string text, out IReadOnlyList<JsonNode?> documents, [NotNullWhen(false)] out string? error)
    {
        IReadOnlyList<JsonNode?> all = [];
        var parsed = TryLoad(text, stream =>
        {
            var expansion = new Expansion();
            all = [.. stream.Documents.Select(d => expansion.Convert(d.RootNode, 0))];
            return null;
        }, out error);
        documents = all;
        return parsed;
    }

    /// <summary>Loads the YAML stream of <paramref name="text"/> and hands it to <paramref name="convert"/> (which returns an error or null).</summary>
    private static bool TryLoad(string text, Func<YamlStream, string?> convert, [NotNullWhen(false)] out string? error)
    {
        var parser = new GuardedYamlParser(new Parser(new StringReader(text)), MaxDepth);
        try
        {
            var stream = new YamlStream();
            stream.Load(parser);
            error = convert(stream);
            return error is null;
        }
        catch (YamlException e)
        {
            error = $"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}";
            return false;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner throws these on some malformed input (an unclosed "[a" followed by a key,
            // for one); the body is still the client's mistake, so it is still a 400 and not a 500.
            error = $"invalid YAML after line {parser.LastGood.Line}, column {parser.LastGood.Column}: {e.Message}";
            return false;
        }
    }

    /// <summary>One conversion, counting the nodes it makes against <see cref="MaxNodes"/>.</summary>
    private sealed class Expansion
    {
        private int _nodes;
        private long _characters;

        public JsonNode? Convert(YamlNode node, int depth)
        {
            // Depth is checked again here because an alias inside its own anchor (&a [*a]) loads as a cycle.
            if (depth > MaxDepth)
            {
                throw new YamlException(node.Start, node.End, $"collections are nested deeper than {MaxDepth} levels (through aliases)");
            }

            if (++_nodes > MaxNodes)
            {
                throw new YamlException(node.Start, node.End, $"the job expands to more than {MaxNodes} values (through aliases)");
            }

            if (node is YamlScalarNode { Value: { } text })
            {
                Count(node, text);
            }

            return node switch
            {
                YamlScalarNode scalar => Scalar(scalar),
                YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(child => Convert(child, depth + 1))]),
                YamlMappingNode mapping => Mapping(mapping, depth),
                _ => throw new YamlException(node.Start, node.End, $"unexpected {node.NodeType} node"),
            };
        }

        private JsonObject Mapping(YamlMappingNode mapping, int depth)
        {
            var result = new JsonObject();
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                if (keyNode is not YamlScalarNode { Value: var key })
                {
                    throw new YamlException(keyNode.Start, keyNode.End, "keys must be scalars, not sequences or mappings");
                }

                // A plain ~, null or empty key is YAML's null, which no JSON key can stand for.
                if (key is null || (keyNode is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } && YamlScalar.Resolve(key) is null))
                {
                    throw new YamlException(keyNode.Start, keyNode.End, "a key must be text, not null");
                }

                // YamlDotNet already refuses most duplicates; this also catches 1 and "1", which are one JSON key.
                if (result.ContainsKey(key))
                {
                    throw new YamlException(keyNode.Start, keyNode.End, $"duplicate key \"{key}\"");
                }

                Count(keyNode, key);
                result[key] = Convert(valueNode, depth + 1);
            }

            return result;
        }

        private void Count(YamlNode node, string text)
        {
            _characters += text.Length;
            if (_characters > MaxExpandedCharacters)
            {
                throw new YamlException(node.Start, node.End, $"the job expands to more than {MaxExpandedCharacters} characters of text (through aliases)");
            }
        }

        private static JsonNode? Scalar(YamlScalarNode scalar)
        {
            var text = scalar.Value ?? string.Empty;
            var tag = scalar.Tag;

            // "!" and "!!str" ask for a string outright; the other core tags (!!int, !!bool, …) for typing
            // even when quoted; other tags (!ruby/…) mean nothing here, so their style decides.
            if (tag.IsNonSpecific || (!tag.IsEmpty && tag.Value == YamlStr))
            {
                return JsonValue.Create(text);
            }

            var typed = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
                || (!tag.IsEmpty && tag.Value.StartsWith(CoreTagPrefix, StringComparison.Ordinal));
            return typed ? YamlScalar.Resolve(text) : JsonValue.Create(text);
        }
    }
}
