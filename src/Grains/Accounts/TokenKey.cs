using System.Security.Cryptography;
using System.Text;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Accounts;

/// <summary>
/// The HMAC key of account tokens and job secrets: <c>CompassCi:Auth:TokenKey</c>, or else the one generated once into
/// <c>auth_state</c> (whichever silo starts first writes it; every silo reads the same). Read once per process.
/// </summary>
public sealed class TokenKey(AccountStore store, IOptions<AuthOptions> options)
{
    private byte[]? _key;

    /// <summary>The key. Two first calls at once both read it; the database answers both with the same one.</summary>
    public async ValueTask<byte[]> GetAsync() =>
        _key ??= options.Value.TokenKey is { } configured
            ? Encoding.UTF8.GetBytes(configured)
            : await store.TokenKeyAsync(RandomNumberGenerator.GetBytes(32));
}
