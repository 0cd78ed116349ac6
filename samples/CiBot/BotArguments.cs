using System.Globalization;

namespace CompassCi.Samples.CiBot;

/// <summary>The bot's command line: where the scheduler is (HTTP or an Orleans cluster) and what to run.</summary>
public sealed record BotArguments(Uri? Server, string? Token, string? Cluster, string? Database, BotRun Run, string? Error)
{
    public static BotArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                return Failed($"'{args[i]}' is not an option with a value");
            }

            values[args[i][2..]] = args[++i];
        }

        string Value(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        var matrix = Value("matrix", "nr_threads=1,2,4").Split('=', 2);
        var run = new BotRun(
            Value("run", "bot-" + DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)),
            Value("account", "bot"),
            Value("suite", "hackbench"),
            Value("tbox-group", "vm-2p8g"),
            matrix[0],
            matrix.Length == 2 ? matrix[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : []);
        if (run.Values.Count == 0)
        {
            return Failed("--matrix must be key=value1,value2,…");
        }

        Uri? server = null;
        if (values.TryGetValue("server", out var address) && !Uri.TryCreate(address, UriKind.Absolute, out server))
        {
            return Failed($"--server '{address}' is not an absolute URL");
        }

        var cluster = values.GetValueOrDefault("cluster");
        var database = values.GetValueOrDefault("database");
        if ((server is null) == (cluster is null || database is null))
        {
            return Failed("give either --server, or --cluster with --database");
        }

        return new BotArguments(server, values.GetValueOrDefault("token"), cluster, database, run, null);

        BotArguments Failed(string why) => new(null, null, null, null, new BotRun("", "", "", "", "", []), why);
    }
}
