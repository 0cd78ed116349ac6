namespace CompassCi.Api.Auth;

/// <summary>How the silo describes its access mode, in <c>/readyz</c> and its start-up log.</summary>
public static class AccessWords
{
    public const string Open =
        "open: anyone who reaches this port may do everything (no CompassCi:Auth:AdminToken configured and no account created); configure an admin token or create an account to close it for good";

    public const string Closed = "closed: every call but the health probes needs a token";

    public static string Describe(bool closed) => closed ? Closed : Open;
}
