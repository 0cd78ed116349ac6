namespace CompassCi.Grains.Configuration;

/// <summary>
/// An options class bound from its own configuration section and checked when the silo starts: a bad value stops
/// the silo with a message that names the key and what it allows, before anything else starts.
/// </summary>
public interface ICheckedOptions
{
    /// <summary>The configuration section, e.g. <c>CompassCi:Lifecycle</c> (environment <c>CompassCi__Lifecycle__…</c>).</summary>
    static abstract string Section { get; }

    /// <summary>Every problem with the values, each naming its full key; empty when they are all right.</summary>
    IEnumerable<string> Check();
}
