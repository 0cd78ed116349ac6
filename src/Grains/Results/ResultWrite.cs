namespace CompassCi.Grains.Results;

/// <summary>How a MKCOL or PUT into the results folder ended.</summary>
public enum ResultWriteStatus
{
    /// <summary>A new file or collection is in place.</summary>
    Created,

    /// <summary>An existing file was replaced.</summary>
    Replaced,

    /// <summary>The collection it goes into does not exist (RFC 4918: 409).</summary>
    ParentMissing,

    /// <summary>MKCOL of something that exists (RFC 4918: 405).</summary>
    Exists,

    /// <summary>PUT onto a collection, or MKCOL of a name that is a file.</summary>
    WrongKind,

    /// <summary>Over the per-file or per-job limit (413).</summary>
    TooLarge,
}

/// <summary>The outcome of a write, with the message a refusal carries.</summary>
public sealed record ResultWrite(ResultWriteStatus Status, string? Message = null);
