using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CompassCi.Api.Http;
using CompassCi.Grains.Submit;
using CompassCi.Grains.Clusters;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Clusters;

/// <summary>
/// Named cluster specs in lkp-tests' format (<c>PUT /api/v1/cluster-specs/{name}</c>, YAML or JSON), which jobs
/// name with <c>cluster: &lt;name&gt;</c>.
/// </summary>
public static partial class ClusterSpecEndpoints
{
    public static IEndpointRouteBuilder MapClusterSpecEndpoints(this IEndpointRouteBuilder app)
    {
        var specs = app.MapGroup("/api/v1/cluster-specs").WithTags("Clusters");
        specs.MapPut("/{name}", PutAsync)
            .WithSummary("Store a cluster spec (lkp YAML or JSON: optional switch and ip0, nodes: {<host>: {roles: [...], macs: [...]}}); 201 new, 200 replaced.")
            .Produces<JsonObject>()
            .Produces<JsonObject>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        specs.MapGet("/{name}", GetAsync)
            .WithSummary("A stored cluster spec, as JSON.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> PutAsync(string name, HttpRequest request, ClusterStore store, TimeProvider clock, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        if (!SpecName().IsMatch(name))
        {
            return Problems.Field("name", "must be 1 to 255 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }

        var (body, tooLarge) = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var parsed = JobDocumentReader.ReadObject(body, request.ContentType, "one cluster spec");
        if (parsed.Document is not { } document)
        {
            return Problems.Invalid(parsed.Errors, parsed.Errors.ContainsKey(JobDocumentReader.ContentTypeField) ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status400BadRequest);
        }

        var spec = ClusterSpecReader.Read(document);
        if (spec.Spec is null)
        {
            return Problems.Invalid(spec.Errors);
        }

        var replaced = await store.PutSpecAsync(name, document.ToJsonString(), clock.GetUtcNow().ToUnixTimeMilliseconds());
        var answer = new JsonObject { ["name"] = name, ["nodes"] = spec.Spec.Nodes.Count, ["spec"] = document };
        return Results.Json(answer, statusCode: replaced ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(string name, ClusterStore store) =>
        await store.GetSpecAsync(name) is { } spec
            ? Results.Json(new JsonObject { ["name"] = name, ["spec"] = JsonNode.Parse(spec) })
            : Problems.NotFound("name", $"no cluster spec is named '{name}'");

    // As machine names: no "..", nothing a path or a shell would read differently.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,254}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SpecName();
}
