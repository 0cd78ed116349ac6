using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CompassCi.Tests.Integration.Auth;

/// <summary>One answer: its status, its text, and whether it challenged for a bearer token.</summary>
public sealed record Answer(HttpStatusCode Status, string Text, bool ChallengesBearer)
{
    public JsonObject Json => (JsonObject)JsonNode.Parse(Text)!;

    /// <summary>Fails with the whole answer when the status is not <paramref name="expected"/>.</summary>
    public Answer Is(HttpStatusCode expected, string why)
    {
        Assert.True(Status == expected, $"{why}: expected {(int)expected}, got {(int)Status}: {Text}");
        return this;
    }

    /// <summary>A refusal: the status, problem JSON naming <paramref name="field"/>, and for 401 the Bearer challenge.</summary>
    public Answer Refused(HttpStatusCode expected, string field, string why)
    {
        Is(expected, why);
        var problem = Json;
        Assert.True(problem["errors"]?[field] is JsonArray { Count: > 0 }, $"{why}: no message for '{field}' in {Text}");
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.True(ChallengesBearer, $"{why}: a 401 without 'WWW-Authenticate: Bearer'");
        }

        return this;
    }
}

/// <summary>Calls with a chosen token (or none), recording every answer so a test can look for secrets in them.</summary>
public sealed class AuthCalls(HttpClient http)
{
    private readonly List<(string Call, string Text)> _answers = [];

    /// <summary>Every answer so far, with the call that got it.</summary>
    public IReadOnlyList<(string Call, string Text)> Answers => _answers;

    public Task<Answer> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    public Task<Answer> PostAsync(string path, string? token, JsonObject? body = null) => SendAsync(HttpMethod.Post, path, token, body);

    public async Task<Answer> SendAsync(HttpMethod method, string path, string? token, JsonObject? body = null, string? cookie = null, string? rawAuthorization = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (rawAuthorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", rawAuthorization);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var challenges = response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer");
        _answers.Add(($"{method} {path}", text + string.Join(" ", response.Headers.Select(h => $"{h.Key}: {string.Join(",", h.Value)}"))));
        return new Answer(response.StatusCode, text, challenges);
    }

    /// <summary>Creates an account with <paramref name="token"/> (an operator's or the admin's); answers its name and its token.</summary>
    public async Task<(string Account, string Token)> CreateAccountAsync(string token, string prefix = "team")
    {
        var name = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        var created = (await PostAsync("/api/v1/accounts", token, new JsonObject { ["my_account"] = name, ["my_email"] = $"{name}@example.org", ["my_name"] = name }))
            .Is(HttpStatusCode.Created, "create account");
        return (name, created.Json["my_token"]!.GetValue<string>());
    }

    /// <summary>Submits a job as <paramref name="token"/>'s account; answers its id.</summary>
    public async Task<string> SubmitAsync(string token, string account, string tboxGroup, JsonObject? extra = null)
    {
        var job = new JsonObject { ["suite"] = "auth-test", ["my_account"] = account, ["tbox_group"] = tboxGroup };
        foreach (var (key, value) in extra ?? [])
        {
            job[key] = value?.DeepClone();
        }

        return (await PostAsync("/api/v1/jobs", token, job)).Is(HttpStatusCode.Created, "submit").Json["id"]!.GetValue<string>();
    }

    /// <summary>Consumes as <paramref name="testbox"/> with <paramref name="token"/>; the job answered.</summary>
    public async Task<JsonObject> ConsumeAsync(string token, string testbox) =>
        (await PostAsync($"/api/v1/testboxes/{testbox}/consume", token, new JsonObject { ["wait_seconds"] = 0 }))
            .Is(HttpStatusCode.OK, $"consume as {testbox}").Json;
}
