namespace CompassCi.Cli.Config;

/// <summary>Where cci sends its calls and who it says it is, with where each came from (shown by <c>--verbose</c> errors).</summary>
/// <param name="Server">The scheduler's base address, e.g. <c>http://127.0.0.1:3000/</c>.</param>
/// <param name="Token">The bearer token; null in open mode.</param>
/// <param name="Account">The account lkp-tests' defaults name (<c>my_account</c>); null when none does.</param>
/// <param name="ServerSource">What set <paramref name="Server"/>: <c>--server</c>, an environment variable, a file, or <c>default</c>.</param>
internal sealed record ServerSettings(Uri Server, string? Token, string? Account, string ServerSource);
