namespace CompassCi.Grains.Scheduling;

/// <summary>
/// The kind of testbox a name implies, as compass-ci derives <c>tbox_type</c> (<c>src/lib/job.cr</c> <c>set_tbox_type</c>):
/// <c>dc</c> (a container) for names starting with "dc", <c>vm</c> for "vm", else <c>hw</c>. A job gets it from its
/// tbox_group at submit and a consuming testbox offers it from its own group, by this one rule, so the two always agree.
/// </summary>
public static class TboxType
{
    /// <summary>The tag (and job field) name.</summary>
    public const string Field = "tbox_type";

    /// <summary><c>dc</c>, <c>vm</c> or <c>hw</c> for the testbox or tbox_group <paramref name="name"/>.</summary>
    public static string Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith("dc", StringComparison.Ordinal) ? "dc"
            : name.StartsWith("vm", StringComparison.Ordinal) ? "vm"
            : "hw";
    }
}
