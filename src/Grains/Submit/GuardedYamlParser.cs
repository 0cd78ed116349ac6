using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CompassCi.Grains.Submit;

/// <summary>
/// Reads YAML events ahead of YamlDotNet's loader and stops what it would take without complaint:
/// nesting deeper than a limit (about 100 KB of <c>[[[[…</c> would overflow the stack and take the process down),
/// an alias used before its anchor (the loader resolves it forward, which YAML forbids), and tags outside the core
/// schema (<c>!!python/object</c>, <c>!!binary</c>, <c>!local</c>): a job is plain data, and a tag would be silently
/// dropped, storing something other than what was meant.
/// </summary>
internal sealed class GuardedYamlParser(IParser inner, int maxDepth) : IParser
{
    // The stream and the document each count as one level before the first collection.
    private const int EnclosingLevels = 2;

    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    private static readonly HashSet<string> CoreTags =
        [.. new[] { "str", "int", "float", "bool", "null", "map", "seq" }.Select(t => CoreTagPrefix + t)];

    private readonly HashSet<string> _anchors = new(StringComparer.Ordinal);
    private int _depth;

    public ParsingEvent? Current => inner.Current;

    /// <summary>Where the last event read ended: the best position there is when the parser fails without one.</summary>
    public Mark LastGood { get; private set; } = Mark.Empty;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        var current = inner.Current!;
        LastGood = current.End;
        _depth += current.NestingIncrease;
        if (_depth > maxDepth + EnclosingLevels)
        {
            throw new YamlException(current.Start, current.End, $"collections are nested deeper than {maxDepth} levels");
        }

        switch (current)
        {
            case AnchorAlias alias when !_anchors.Contains(alias.Value.Value):
                throw new YamlException(current.Start, current.End, $"alias *{alias.Value.Value} is used before its anchor &{alias.Value.Value} is defined");
            case NodeEvent node:
                if (!node.Anchor.IsEmpty)
                {
                    _anchors.Add(node.Anchor.Value);
                }

                if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific && !CoreTags.Contains(node.Tag.Value))
                {
                    throw new YamlException(current.Start, current.End, $"tag {node.Tag.Value} is not supported: a job is plain YAML (strings, numbers, booleans, null, lists, maps)");
                }

                break;
        }

        return true;
    }
}
