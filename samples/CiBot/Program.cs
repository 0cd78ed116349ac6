using CompassCi.Client;
using CompassCi.Client.Cluster;
using CompassCi.Client.Http;
using CompassCi.Samples.CiBot;

// A sample CI bot: submits a matrix of jobs, follows them live, prints a summary; exit 0 when all succeeded.
//   over HTTP:    ci-bot --server http://127.0.0.1:3000 [--token T] [options]
//   over Orleans: ci-bot --cluster compassci --database "Server=…;User ID=…;Password=…;Database=…" [options]
//   options:      --run <id> (default: a new one; the same id again finds the jobs already submitted)
//                 --account bot --suite hackbench --tbox-group vm-2p8g --matrix nr_threads=1,2,4
var args_ = BotArguments.Parse(args);
if (args_.Error is { } error)
{
    await Console.Error.WriteLineAsync($"ci-bot: {error}\nusage: ci-bot (--server URL [--token T] | --cluster ID --database CONNECTION) [--run ID] [--account A] [--suite S] [--tbox-group G] [--matrix key=v1,v2]");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

await using ICompassCiClient client = args_.Server is { } server
    ? new CompassCiHttpClient(new CompassCiHttpOptions { BaseAddress = server, Token = args_.Token })
    : await CompassCiOrleansClient.ConnectAsync(new OrleansClientOptions { ClusterId = args_.Cluster!, ServiceId = args_.Cluster!, ConnectionString = args_.Database! }, stop.Token);
try
{
    return await new CiBot(client, Console.Out).RunAsync(args_.Run, stop.Token) ? 0 : 1;
}
catch (CompassCiException refused)
{
    await Console.Error.WriteLineAsync($"ci-bot: the scheduler refused: {refused.Message}");
    return 1;
}
