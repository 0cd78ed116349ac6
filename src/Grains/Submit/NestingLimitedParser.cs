using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CompassCi.Grains.Submit;

/// <summary>
/// Stops YAML nested deeper than a limit before YamlDotNet's recursive loader sees it: about 100 KB of
/// <c>[[[[…</c> would otherwise overflow the stack and take the process down with it.
/// </summary>
internal sealed class NestingLimitedParser(IParser inner, int maxDepth) : IParser
{
    // The stream and the document each count as one level before the first collection.
    private const int EnclosingLevels = 2;

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

        return true;
    }
}
