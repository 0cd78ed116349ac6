namespace CompassCi.LoadGenerator;

/// <summary>The body of POST /api/v1/jobs (snake_case on the wire via <see cref="WireJson"/>).</summary>
public sealed record JobSubmission(
    string Suite,
    string MyAccount,
    string TboxGroup,
    string Arch,
    string Memory,
    int Priority,
    string Payload);
