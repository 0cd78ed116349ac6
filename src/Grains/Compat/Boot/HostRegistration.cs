namespace CompassCi.Grains.Compat.Boot;

/// <summary>
/// What a host said it offers through compass-ci's <c>register-host2redis</c>: a provider (docker or qemu: type dc or
/// vm) or a hardware host (hw), its architecture and memory in GiB. <see cref="ExpiresAt"/> (unix ms) is when it drops
/// out unless a <c>heart-beat</c> comes first.
/// </summary>
public sealed record HostRegistration(
    string Hostname,
    string TboxType,
    string? Arch,
    int? MaxMemGb,
    string? Owner,
    bool IsRemote,
    long RegisteredAt,
    long ExpiresAt);
