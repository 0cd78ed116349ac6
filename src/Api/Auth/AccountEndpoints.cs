using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Auth;

/// <summary>
/// <c>/api/v1/accounts</c>: account administration for operators (and the admin). A new token is answered once, at
/// creation and at rotation; only its HMAC is kept.
/// </summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/api/v1/accounts").WithTags("Accounts");
        accounts.MapPost("", CreateAsync)
            .WithSummary("Create an account {my_account, my_email, my_name, shares?, queued_soft_limit?, queued_hard_limit?, running_limit?}; 201 with its my_token, shown this once. Ends open mode for good.")
            .Produces<JsonObject>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        accounts.MapGet("", ListAsync).WithSummary("Every account.").Produces<JsonObject>();
        accounts.MapGet("/{account}", GetAsync)
            .WithSummary("One account (operators, or the account itself).")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        accounts.MapPatch("/{account}", UpdateAsync)
            .WithSummary("Change my_email, my_name, shares, limits (null: the configured default) or disabled. A disabled account's token stops working at once.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        accounts.MapPost("/{account}/token", RotateAsync)
            .WithSummary("A new token for the account, shown this once; the old one stops working at once on every silo.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, AccountAdmin admin, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(request, options.Value.MaxBodyBytes, cancellationToken, " such as {\"my_account\": \"team\", \"my_email\": \"…\", \"my_name\": \"…\"}");
        if (body is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? name = null;
        if (body["my_account"] is { } node && node.GetValueKind() == JsonValueKind.String)
        {
            name = node.GetValue<string>();
            if (AccountJson.NameProblem(name) is { } bad)
            {
                errors["my_account"] = [bad];
            }
        }
        else
        {
            errors["my_account"] = ["is required: a string"];
        }

        var email = AccountJson.Text(body, "my_email", errors);
        var displayName = AccountJson.Text(body, "my_name", errors);
        var settings = AccountJson.Apply(body, new AccountRow(name ?? "", email ?? "", displayName ?? "", [], 1, null, null, null, false, 0, 0), errors, ["my_account"]);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        return await admin.CreateAsync(settings) is { } created
            ? Results.Json(AccountJson.Render(created.Row, created.Token), statusCode: StatusCodes.Status201Created)
            : Problems.Field("my_account", $"account '{name}' exists already; change it with PATCH or give it a new token with POST /api/v1/accounts/{name}/token", StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(AccountStore store) =>
        Results.Json(new JsonObject { ["accounts"] = new JsonArray([.. (await store.ListAsync()).Select(a => (JsonNode)AccountJson.Render(a))]) });

    private static async Task<IResult> GetAsync(string account, AccountStore store) =>
        await store.GetAsync(account) is { } row ? Results.Json(AccountJson.Render(row)) : Missing(account);

    private static async Task<IResult> UpdateAsync(string account, HttpRequest request, AccountAdmin admin, AccountStore store, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(request, options.Value.MaxBodyBytes, cancellationToken, " such as {\"shares\": 2}");
        if (body is null)
        {
            return problem!;
        }

        if (await store.GetAsync(account) is not { } current)
        {
            return Missing(account);
        }

        // Checked against what is stored now, so that nothing is written when any field is wrong.
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        AccountJson.Apply(body, current, errors, []);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        return await admin.UpdateAsync(account, row => AccountJson.Apply(body, row, [], [])) is { } updated
            ? Results.Json(AccountJson.Render(updated))
            : Missing(account);
    }

    private static async Task<IResult> RotateAsync(string account, AccountAdmin admin) =>
        await admin.RotateAsync(account) is { } rotated ? Results.Json(AccountJson.Render(rotated.Row, rotated.Token)) : Missing(account);

    private static IResult Missing(string account) => Problems.NotFound("account", $"no account is named '{account}'");
}
