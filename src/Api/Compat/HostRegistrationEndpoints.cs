using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Api.Testboxes;
using CompassCi.Grains.Compat;
using CompassCi.Grains.Compat.Boot;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Compat;

/// <summary>
/// compass-ci's host registry calls, as its providers and lab scripts send them: which hostname boots with a MAC
/// (<c>PUT /set_host_mac</c>, <c>/del_host_mac</c>), what a host offers (<c>PUT /register-host2redis</c>) and that it is
/// still there (<c>GET /heart-beat</c>: <c>{"status_code":1000}</c>, or <c>1001</c> to register again once it expired).
/// Kept in MariaDB rather than redis; plain-text answers as compass-ci gives them.
/// </summary>
public static class HostRegistrationEndpoints
{
    /// <summary>compass-ci's host types: docker containers, VMs, hardware.</summary>
    private static readonly string[] TboxTypes = ["dc", "vm", "hw"];

    public static IEndpointRouteBuilder MapHostRegistrationEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in (string[])["", "/scheduler"])
        {
            app.MapPut(prefix + "/set_host_mac", SetHostMacAsync).ExcludeFromDescription();
            app.MapPut(prefix + "/del_host_mac", DeleteHostMacAsync).ExcludeFromDescription();
            app.MapPut(prefix + "/set_host2queues", Accepted).ExcludeFromDescription();
            app.MapPut(prefix + "/del_host2queues", Accepted).ExcludeFromDescription();
        }

        app.MapPut("/register-host2redis", RegisterAsync).ExcludeFromDescription();
        app.MapGet("/heart-beat", HeartbeatAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SetHostMacAsync(HttpRequest request, CompatHostStore store)
    {
        var (mac, macError) = MacAddress.Normalize(request.Query["mac"].ToString());
        var hostname = request.Query["hostname"].ToString();
        if (macError is not null)
        {
            return Problems.Field("mac", macError);
        }

        if (TestboxName.Problem("hostname", hostname) is { } bad)
        {
            return bad;
        }

        await store.SetMacAsync(mac!, hostname);
        return Done;
    }

    private static async Task<IResult> DeleteHostMacAsync(HttpRequest request, CompatHostStore store)
    {
        var (mac, macError) = MacAddress.Normalize(request.Query["mac"].ToString());
        if (macError is not null)
        {
            return Problems.Field("mac", macError);
        }

        await store.DeleteMacAsync(mac!);
        return Done;
    }

    /// <summary>compass-ci keeps host→queues for no live purpose (reference §1); accepted so providers' calls succeed.</summary>
    private static IResult Accepted() => Done;

    private static async Task<IResult> RegisterAsync(HttpRequest request, CompatHostStore store, IOptions<CompatOptions> options)
    {
        var query = request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var type = query["type"].ToString();
        if (!TboxTypes.Contains(type, StringComparer.Ordinal))
        {
            errors["type"] = [$"'{type}' is not a host type; use one of {string.Join(", ", TboxTypes)}"];
        }

        var hostname = query["hostname"].ToString();
        if (Grains.Hosts.MachineName.Error(hostname) is { } nameError)
        {
            errors["hostname"] = [nameError];
        }

        var (maxMem, memError) = BootOffer.ReadGb(query["max_mem"].ToString());
        if (memError is not null)
        {
            errors["max_mem"] = [memError];
        }

        var arch = Optional(query, "arch", ColumnLimits.Arch, errors);
        var owner = Optional(query, "owner", ColumnLimits.Account, errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        await store.RegisterAsync(hostname, type, arch, maxMem, owner, query["is_remote"].ToString() == "true", options.Value.RegistrationTtl);
        return Results.Text(string.Empty, "text/plain");
    }

    private static async Task<IResult> HeartbeatAsync(HttpRequest request, CompatHostStore store, IOptions<CompatOptions> options)
    {
        var hostname = request.Query["hostname"].ToString();
        if (TestboxName.Problem("hostname", hostname) is { } bad)
        {
            return bad;
        }

        // compass-ci refreshes only the types it knows and says 1000 for any other; so do we.
        var alive = !TboxTypes.Contains(request.Query["type"].ToString(), StringComparer.Ordinal)
            || await store.HeartbeatAsync(hostname, options.Value.RegistrationTtl);
        return Results.Text(new JsonObject { ["status_code"] = alive ? 1000 : 1001 }.ToJsonString(), "text/plain");
    }

    private static string? Optional(IQueryCollection query, string name, int limit, Dictionary<string, string[]> errors)
    {
        var value = query[name].ToString();
        if (value.Length == 0)
        {
            return null;
        }

        if (value.Length > limit || value.Any(char.IsControl))
        {
            errors[name] = [$"must be at most {limit} printable characters"];
            return null;
        }

        return value;
    }

    private static IResult Done => Results.Text("Done", "text/plain");
}
