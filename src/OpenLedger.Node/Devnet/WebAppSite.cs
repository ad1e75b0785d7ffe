using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace OpenLedger.Node.Devnet;

/// <summary>
/// The web app (<c>web/dist</c>, built by <c>npm run build --prefix web</c>) served at <c>/app</c> on the L2 RPC port, with
/// <c>/app/config.json</c> telling it the endpoints and contract addresses of this devnet. Unknown paths without a file
/// extension get index.html (the app routes in the browser); a missing asset is a 404, never HTML.
/// </summary>
public sealed class WebAppSite
{
    public const string Prefix = "/app";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private readonly string _dist;
    private readonly string _deployments;
    private readonly WebAppEndpoints _endpoints;

    public WebAppSite(string distDir, string deploymentsDir, WebAppEndpoints endpoints)
    {
        _dist = Path.GetFullPath(distDir);
        _deployments = deploymentsDir;
        _endpoints = endpoints;
    }

    /// <summary>Whether the app has been built (index.html exists).</summary>
    public bool Built => File.Exists(Path.Combine(_dist, "index.html"));

    /// <summary>Serves the app on the node's RPC port; says where, or that it is not built.</summary>
    public static async Task AttachAsync(Hosting.NodeHost l2, WebAppEndpoints endpoints, TextWriter output)
    {
        var root = ToolLocator.FindRepoRoot();
        if (root == null)
        {
            await output.WriteLineAsync("Web app: not served: no checkout found (foundry.toml + package.json)");
            return;
        }
        var site = new WebAppSite(Path.Combine(root, "web", "dist"), Path.Combine(root, "deployments"), endpoints);
        l2.Rpc.Server.AddPageHandler(site.HandleAsync);
        await output.WriteLineAsync(site.Built
            ? $"Web app: {l2.RpcUrl}{Prefix}/ (config {l2.RpcUrl}{Prefix}/config.json)"
            : $"Web app: not built ({l2.RpcUrl}{Prefix}/ answers 503 until `npm ci --prefix web && npm run build --prefix web` runs)");
    }

    /// <summary>Takes GET/HEAD under /app; false for any other path.</summary>
    public async Task<bool> HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (path != Prefix && !path.StartsWith(Prefix + "/", StringComparison.Ordinal)) return false;
        var res = ctx.Response;
        res.Headers.XContentTypeOptions = "nosniff";
        var rel = path.Length <= Prefix.Length + 1 ? "" : path[(Prefix.Length + 1)..];

        if (rel == "config.json")
        {
            res.ContentType = "application/json; charset=utf-8";
            res.Headers.CacheControl = "no-store";
            await WriteAsync(ctx, System.Text.Encoding.UTF8.GetBytes(Config().ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
            return true;
        }
        if (!Built)
        {
            res.StatusCode = StatusCodes.Status503ServiceUnavailable;
            res.ContentType = "text/plain; charset=utf-8";
            await WriteAsync(ctx, "The web app is not built: run `npm ci --prefix web && npm run build --prefix web` in the repository (deploy/devnet.sh does)\n"u8.ToArray());
            return true;
        }

        var file = Resolve(rel);
        if (file == null)
        {
            // The last segment looks like a file (has an extension): a missing asset. Otherwise a route of the app.
            var last = rel.Split('/')[^1];
            if (last.Contains('.'))
            {
                res.StatusCode = StatusCodes.Status404NotFound;
                res.ContentType = "text/plain; charset=utf-8";
                await WriteAsync(ctx, System.Text.Encoding.UTF8.GetBytes($"not found: {path}\n"));
                return true;
            }
            file = Path.Combine(_dist, "index.html");
        }
        await SendFileAsync(ctx, file, rel.StartsWith("assets/", StringComparison.Ordinal));
        return true;
    }

    /// <summary>The file under dist for a request path, or null (missing, a directory, or outside dist).</summary>
    private string? Resolve(string rel)
    {
        if (rel.Length == 0 || rel.Contains('\0') || rel.Contains('\\')) return null;
        if (rel.Split('/').Any(s => s is "" or "." or "..")) return null;
        var full = Path.GetFullPath(Path.Combine(_dist, rel));
        if (!full.StartsWith(_dist + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return null;
        return File.Exists(full) ? full : null;
    }

    private static async Task SendFileAsync(HttpContext ctx, string file, bool immutable)
    {
        var info = new FileInfo(file);
        var res = ctx.Response;
        // Vite names assets by content hash: they never change. index.html and the rest are revalidated.
        res.Headers.CacheControl = immutable ? "public, max-age=31536000, immutable" : "no-cache";
        var etag = $"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"";
        res.Headers.ETag = etag;
        res.ContentType = ContentTypes.TryGetContentType(file, out var type)
            ? (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/javascript" or "application/json" or "image/svg+xml" ? type + "; charset=utf-8" : type)
            : "application/octet-stream";
        if (ctx.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            res.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        res.ContentLength = info.Length;
        if (HttpMethods.IsHead(ctx.Request.Method)) return;
        await res.SendFileAsync(file, ctx.RequestAborted);
    }

    private static async Task WriteAsync(HttpContext ctx, byte[] body)
    {
        ctx.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(ctx.Request.Method)) await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
    }

    /// <summary>
    /// What the app reads at start: both chains (id, name, RPC, currency, the contracts of the deployments files, read on
    /// each request so contracts deployed later appear) and the services that run. A service that is null is not running.
    /// </summary>
    public JsonObject Config()
    {
        var e = _endpoints;
        var services = new JsonObject();
        foreach (var (name, url) in e.Services) services[name] = url;
        return new JsonObject
        {
            ["l1"] = new JsonObject
            {
                ["chainId"] = e.L1ChainId,
                ["name"] = e.L1Name,
                ["rpcUrl"] = e.L1RpcUrl,
                ["currency"] = Currency("Ether", "ETH"),
                ["contracts"] = Contracts($"{e.L1ChainId}-l1.json"),
                ["devMethods"] = true,
            },
            ["l2"] = new JsonObject
            {
                ["chainId"] = e.L2ChainId,
                ["name"] = e.L2Name,
                ["rpcUrl"] = e.L2RpcUrl,
                ["currency"] = Currency("OPEN", "OPEN"),
                ["contracts"] = Contracts($"{e.L2ChainId}-l2.json"),
                ["devMethods"] = e.L2DevMethods,
                // Deposits are derived and outputs proposed: the portal on L1 is usable from this L2.
                ["bridge"] = e.Bridge,
            },
            ["services"] = services,
        };
    }

    private static JsonObject Currency(string name, string symbol) => new() { ["name"] = name, ["symbol"] = symbol, ["decimals"] = 18 };

    /// <summary>The address entries of deployments/FILE (empty when the file is missing or unreadable: the app says which contracts are absent).</summary>
    private JsonObject Contracts(string fileName)
    {
        var result = new JsonObject();
        var file = Path.Combine(_deployments, fileName);
        try
        {
            if (!File.Exists(file)) return result;
            foreach (var (name, address) in ContractDeployer.ReadAddresses(file))
                if (OpenLedger.Primitives.Address.TryParse(address, out _)) result[name] = address;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException) { }
        return result;
    }
}

/// <summary>The endpoints /app/config.json names (the devnet's, or `openledger node --web-app`'s). <see cref="Bridge"/>: the devnet runs the bridge (deposits derived, proposer). <see cref="Services"/>: name → base URL (null: not running); the Datanets API is "datanetsApi".</summary>
public sealed record WebAppEndpoints(long L1ChainId, string L1RpcUrl, ulong L2ChainId, string L2RpcUrl, bool L2DevMethods, bool Bridge,
    IReadOnlyDictionary<string, string?> Services, string L1Name = "OpenLedger L1 (devnet)", string L2Name = "OpenLedger devnet");
