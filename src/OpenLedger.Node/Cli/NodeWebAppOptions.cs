using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Hosting;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger node --web-app DIR`: serves the built web app (web/dist) at /app on the node's RPC port, as the devnet
/// does, with /app/config.json naming this node, its L1, the contracts of a deployments directory and the services
/// given (the Datanets API of --api is added on its own).
/// </summary>
public sealed partial class NodeWebAppOptions
{
    private static readonly string[] KnownServices = ["datanetsApi", "inference", "factory"];

    public Option<string?> Dist { get; } = new("--web-app") { Description = "Serve the built web app (a web/dist directory: `npm run build --prefix web`) at /app on the RPC port." };
    public Option<string?> L1Rpc { get; } = new("--web-l1-rpc") { Description = "L1 JSON-RPC URL the web app shows wallets (default: config.rollup.l1Rpc)." };
    public Option<string[]> Services { get; } = new("--web-service") { Description = "NAME=URL of a service the app uses: inference (openledger serve), factory, datanetsApi. Repeatable.", AllowMultipleArgumentsPerToken = false };
    public Option<string?> Deployments { get; } = new("--web-deployments") { Description = "Directory of <chainid>-l1.json / <chainid>-l2.json contract addresses (default: deployments)." };

    public IEnumerable<Option> All => [Dist, L1Rpc, Services, Deployments];

    /// <summary>What --web-app* asked for, checked.</summary>
    public sealed record Settings(string Dist, string Deployments, string L1Rpc, IReadOnlyDictionary<string, string> Services);

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9]*)=(.+)$")]
    private static partial Regex ServiceArg();

    /// <summary>The settings, null without --web-app; a CliException names what is wrong.</summary>
    public Settings? Parse(ParseResult parse, NodeConfig config)
    {
        var dist = parse.GetValue(Dist);
        var services = parse.GetValue(Services) ?? [];
        if (dist == null)
        {
            if (parse.GetValue(L1Rpc) != null || services.Length > 0 || parse.GetValue(Deployments) != null)
                throw new CliException("--web-l1-rpc, --web-service and --web-deployments configure the web app: add --web-app DIR", CliApp.UsageError);
            return null;
        }
        dist = Path.GetFullPath(dist);
        if (!File.Exists(Path.Combine(dist, "index.html")))
            throw new CliException($"--web-app: {dist} has no index.html (build the app: npm ci --prefix web && npm run build --prefix web, then pass web/dist)", CliApp.UsageError);
        var l1 = parse.GetValue(L1Rpc) ?? config.Rollup?.L1Rpc
            ?? throw new CliException("--web-app needs the L1 JSON-RPC URL the app shows wallets: pass --web-l1-rpc (or set config.rollup.l1Rpc)", CliApp.UsageError);
        CheckUrl("--web-l1-rpc", l1);
        var named = ParseServices(services);
        var deployments = Path.GetFullPath(parse.GetValue(Deployments) ?? "deployments");
        if (!Directory.Exists(deployments)) throw new CliException($"--web-deployments: {deployments} is not a directory", CliApp.UsageError);
        return new Settings(dist, deployments, l1, named);
    }

    /// <summary>NAME=URL arguments (--web-service), each name known and given once, each URL http(s).</summary>
    public static Dictionary<string, string> ParseServices(IEnumerable<string> args)
    {
        var named = new Dictionary<string, string>();
        foreach (var s in args)
        {
            var m = ServiceArg().Match(s);
            if (!m.Success) throw new CliException($"--web-service must be NAME=URL, got {s}", CliApp.UsageError);
            var name = m.Groups[1].Value;
            if (!KnownServices.Contains(name)) throw new CliException($"--web-service: unknown service {name} (known: {string.Join(", ", KnownServices)})", CliApp.UsageError);
            if (named.ContainsKey(name)) throw new CliException($"--web-service: {name} given twice", CliApp.UsageError);
            CheckUrl($"--web-service {name}", m.Groups[2].Value);
            named[name] = m.Groups[2].Value.TrimEnd('/');
        }
        return named;
    }

    private static void CheckUrl(string what, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
            throw new CliException($"{what} must be an http(s) URL, got {url}", CliApp.UsageError);
    }

    /// <summary>Reads the L1's chain id (the wallet checks it) and attaches the site to the node's RPC server.</summary>
    public static async Task AttachAsync(Settings s, NodeHost node, NodeConfig config, string? datanetsApiUrl, string? factoryUrl, TextWriter output, CancellationToken ct)
    {
        long l1ChainId;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var resp = await http.PostAsync(s.L1Rpc, new StringContent("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""", System.Text.Encoding.UTF8, "application/json"), ct);
            using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct));
            l1ChainId = Convert.ToInt64(doc.RootElement.GetProperty("result").GetString(), 16);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException
            or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new CliException($"--web-app: the L1 at {s.L1Rpc} did not answer eth_chainId: {e.Message}");
        }
        var services = new Dictionary<string, string?> { ["datanetsApi"] = datanetsApiUrl, ["inference"] = null, ["factory"] = factoryUrl };
        foreach (var (k, v) in s.Services) services[k] = v;
        var bridge = config.Rollup is { L1Rpc: not null, DepositContractAddress: not null };
        var site = new WebAppSite(s.Dist, s.Deployments, new WebAppEndpoints(l1ChainId, s.L1Rpc, config.Genesis.Config.ChainId, node.RpcUrl,
            L2DevMethods: false, bridge, services, L1Name: $"L1 (chain {l1ChainId})", L2Name: $"OpenLedger (chain {config.Genesis.Config.ChainId})"));
        node.Rpc.Server.AddPageHandler(site.HandleAsync);
        await output.WriteLineAsync($"Web app: {node.RpcUrl}{WebAppSite.Prefix}/ (from {s.Dist}; config {node.RpcUrl}{WebAppSite.Prefix}/config.json)");
    }
}
