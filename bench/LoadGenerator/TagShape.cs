namespace CompassCi.LoadGenerator;

/// <summary>
/// One combination of requirement tags: every job of a shape lands in the same server queue, and every
/// testbox of a shape can take any of them.
/// </summary>
/// <param name="Index">0-based position; job i belongs to shape i mod K.</param>
/// <param name="TboxGroup">tbox_group tag, e.g. vm-2p1g.</param>
/// <param name="Arch">arch tag, alternating aarch64 / x86_64.</param>
public sealed record TagShape(int Index, string TboxGroup, string Arch)
{
    /// <summary>
    /// The K shapes: {group}{i}g (vm-2p{i}g by default) for i = 1..K, arch alternating so both values appear in the
    /// tag index. The extraction phase uses its own group so it never takes a job left over from the drain.
    /// </summary>
    public static IReadOnlyList<TagShape> Build(int count, string group = "vm-2p") =>
        Enumerable.Range(0, count)
            .Select(i => new TagShape(i, $"{group}{i + 1}g", i % 2 == 0 ? "aarch64" : "x86_64"))
            .ToArray();
}
