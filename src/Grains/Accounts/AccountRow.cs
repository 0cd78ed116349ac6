namespace CompassCi.Grains.Accounts;

/// <summary>One row of <c>accounts</c>; the token only as its hash. Null limits: the configured defaults apply.</summary>
public sealed record AccountRow(
    string Account,
    string Email,
    string Name,
    byte[] TokenHash,
    int Shares,
    int? QueuedSoftLimit,
    int? QueuedHardLimit,
    int? RunningLimit,
    bool Disabled,
    long CreatedAt,
    long UpdatedAt);
