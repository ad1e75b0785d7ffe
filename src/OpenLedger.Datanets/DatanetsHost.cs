using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenLedger.Datanets.Api;
using OpenLedger.Datanets.Content;
using OpenLedger.Datanets.Indexing;
using OpenLedger.Datanets.Storage;
using OpenLedger.Datanets.Versions;
using Scalar.AspNetCore;

namespace OpenLedger.Datanets;

/// <summary>
/// The Datanets service in one object: the database (migrated on start), the content store, the chain indexer and the
/// pending-upload sweeper as background loops, and the REST API (Kestrel) with its OpenAPI document at
/// <c>/openapi/v1.json</c> and the Scalar reference at <c>/api/docs</c>.
/// </summary>
public sealed class DatanetsHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    private DatanetsHost(WebApplication app, ApiContext ctx, ChainIndexer indexer, PendingSweeper sweeper)
    {
        _app = app;
        Context = ctx;
        Indexer = indexer;
        Sweeper = sweeper;
    }

    public ApiContext Context { get; }
    public ChainIndexer Indexer { get; }
    public PendingSweeper Sweeper { get; }

    /// <summary>(method, route pattern) of every /api route, for checking the OpenAPI document against the code.</summary>
    public IReadOnlyList<(string Method, string Pattern)> ApiRoutes() =>
        _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } p && p.StartsWith("/api/", StringComparison.Ordinal) && !p.StartsWith("/api/docs", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e.RoutePattern.RawText!)))
            .ToList();

    /// <summary>http://host:port of the API.</summary>
    public string Url { get; private set; } = "";

    public static async Task<DatanetsHost> StartAsync(DatanetsOptions options, ILoggerFactory loggers, CancellationToken ct = default)
    {
        var db = Database.FromOption(options.Db, options.DataDir);
        await Migrations.ApplyAsync(db, ct);
        var store = new ContentStore(Path.Combine(options.DataDir, "content"));
        var chain = new RpcChainSource(options.RpcUrl);
        var logger = loggers.CreateLogger("OpenLedger.Datanets");
        var uploads = new UploadService(db, store, options, new RegistryViews(chain, options.Contracts.DatanetRegistry));
        var ctx = new ApiContext(db, store, uploads, new VersionService(db), options);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Parse(options.Host), options.Port);
            k.AddServerHeader = false;
        });
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info = new Microsoft.OpenApi.OpenApiInfo
            {
                Title = "OpenLedger Datanets API",
                Version = "1",
                Description = "Datanets, contributions (upload with an EIP-712 permit, download by content hash), versions with Merkle proofs, models, reward epochs and accounts, indexed from the L2. Errors are RFC 7807 problem details.",
            };
            return Task.CompletedTask;
        }));
        builder.Services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (options.CorsOrigins.Count == 0) return;
            if (options.CorsOrigins.Contains("*")) p.AllowAnyOrigin(); else p.WithOrigins(options.CorsOrigins.ToArray());
            p.AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("ETag", "Retry-After", "Location");
        }));
        var app = builder.Build();
        app.Use(Problems.Middleware);
        app.UseCors();
        app.UseStatusCodePages(async sc =>
        {
            var http = sc.HttpContext;
            if (http.Response.ContentLength is null && string.IsNullOrEmpty(http.Response.ContentType) && http.Response.StatusCode >= 400)
                await Problems.Write(http, http.Response.StatusCode, http.Response.StatusCode == 404 ? "Not found" : "Request failed",
                    http.Response.StatusCode == 404 ? $"no route {http.Request.Method} {http.Request.Path}" : $"HTTP {http.Response.StatusCode}");
        });
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api/docs", o => o.WithTitle("OpenLedger Datanets API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        var api = app.MapGroup("/api");
        DatanetEndpoints.Map(api, ctx);
        ContentEndpoints.Map(api, ctx);
        ModelEndpoints.Map(api, ctx);
        EpochEndpoints.Map(api, ctx);
        EpochRecordEndpoints.Map(api, ctx, chain);
        AccountEndpoints.Map(api, ctx);
        options.ExtraRoutes?.Invoke(api);
        api.MapGet("/status", async (CancellationToken ct2) =>
        {
            await using var c = await db.OpenAsync(ct2);
            var cp = await c.QueryFirstOrDefaultAsync<ChainIndexer.Checkpoint>("SELECT last_block AS Block, last_hash AS Hash FROM indexer_state WHERE id = 1");
            return new StatusDto(cp?.Block, cp?.Hash, (long)options.ChainId, options.Contracts.DatanetRegistry, options.Contracts.ModelRegistry, options.Contracts.AttributionRewards, db.Description);
        }).WithTags("Service").WithName("GetStatus").WithSummary("The indexer's checkpoint, the chain and contracts followed, the database.");

        await app.StartAsync(ct);
        var indexer = new ChainIndexer(db, chain, options.Contracts, logger);
        var sweeper = new PendingSweeper(db, store, options.PendingTimeout, logger);
        var host = new DatanetsHost(app, ctx, indexer, sweeper)
        {
            Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1"),
        };
        if (options.RunIndexer) host._loops.Add(Task.Run(() => indexer.RunAsync(options.IndexerPollInterval, host._stop.Token)));
        host._loops.Add(Task.Run(() => sweeper.RunAsync(options.SweepInterval, host._stop.Token)));
        logger.LogInformation("Datanets API on {Url} (database {Db})", host.Url, db.Description);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await Task.WhenAll(_loops); } catch (OperationCanceledException) { }
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stop.Dispose();
    }
}
