using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Hosting;

/// <summary>
/// JSON-RPC over HTTP (POST /, batches) and WebSocket (GET / with upgrade) on one port, CORS for
/// browser dApps, and /metrics in Prometheus text format. Kestrel does the HTTP work.
/// </summary>
public sealed class RpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RpcDispatcher _dispatcher;
    private readonly RpcServerOptions _options;
    private int _webSockets;

    /// <summary>Extra metrics writers (chain, pool) appended to /metrics.</summary>
    public List<Action<TextWriter>> MetricsWriters { get; } = [];

    public RpcMetrics Metrics { get; } = new();

    /// <summary>What /health and /readyz report; without it the server only says it is up.</summary>
    public Func<HealthReport>? Health { get; set; }
    public int Port { get; private set; }

    private volatile Func<HttpContext, Task<bool>>[] _pages = [];

    /// <summary>
    /// Serves GET/HEAD requests other than JSON-RPC beside it (the devnet's web app at /app). A handler returns false for a
    /// path it does not take; the server then answers as before.
    /// </summary>
    public void AddPageHandler(Func<HttpContext, Task<bool>> handler)
    {
        lock (_app) _pages = [.. _pages, handler];
    }
    public string HttpUrl => $"http://{FormatHost()}:{Port}";
    public string WebSocketUrl => $"ws://{FormatHost()}:{Port}";

    public RpcServer(RpcMethodRegistry registry, RpcServerOptions options, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Host, options.Port);
            k.Limits.MaxRequestBodySize = options.Limits.MaxRequestBytes;
            k.AddServerHeader = false;
        });
        _app = builder.Build();
        _dispatcher = new RpcDispatcher(registry, options.Limits, loggerFactory?.CreateLogger<RpcServer>(), Metrics);
        _app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        _app.Run(HandleAsync);
    }

    public async Task StartAsync(CancellationToken ct = default)
    {
        await _app.StartAsync(ct);
        var addresses = _app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()?.Addresses
            : null;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("RPC server has no bound address");
        Port = new Uri(first.Replace("[::]", "localhost").Replace("+", "localhost").Replace("*", "localhost")).Port;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        ApplyCors(ctx);
        var req = ctx.Request;
        if (HttpMethods.IsOptions(req.Method))
        {
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (req.Path == "/metrics" && HttpMethods.IsGet(req.Method))
        {
            ctx.Response.ContentType = "text/plain; version=0.0.4";
            await using var w = new StringWriter();
            Metrics.WritePrometheus(w);
            foreach (var extra in MetricsWriters) extra(w);
            await ctx.Response.WriteAsync(w.ToString());
            return;
        }

        if ((req.Path == "/health" || req.Path == "/readyz") && HttpMethods.IsGet(req.Method))
        {
            var report = Health?.Invoke() ?? new HealthReport(true, new Dictionary<string, string>());
            ctx.Response.StatusCode = report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(report.ToJson());
            return;
        }

        if (ctx.WebSockets.IsWebSocketRequest)
        {
            if (Interlocked.Increment(ref _webSockets) > _options.MaxWebSocketConnections)
            {
                Interlocked.Decrement(ref _webSockets);
                ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            try
            {
                using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
                await new WebSocketConnection(socket, _options.WebSocketSendQueueMessages, _options.WebSocketSendQueueBytes).RunAsync(_dispatcher, ctx.RequestAborted);
            }
            finally
            {
                Interlocked.Decrement(ref _webSockets);
            }
            return;
        }

        if (HttpMethods.IsGet(req.Method) || HttpMethods.IsHead(req.Method))
            foreach (var page in _pages)
                if (await page(ctx)) return;

        if (!HttpMethods.IsPost(req.Method))
        {
            ctx.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            await ctx.Response.WriteAsync("JSON-RPC: use POST with a JSON body, or a WebSocket upgrade\n");
            return;
        }

        if (req.ContentLength > _options.Limits.MaxRequestBytes)
        {
            ctx.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        byte[] body;
        using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        readTimeout.CancelAfter(_options.BodyReadTimeout);
        try
        {
            using var ms = new MemoryStream();
            await req.Body.CopyToAsync(ms, readTimeout.Token);
            body = ms.ToArray();
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel says which: too large (413) or too slow, under its minimum data rate (408).
            ctx.Response.StatusCode = e.StatusCode;
            return;
        }
        catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested)
        {
            ctx.Response.StatusCode = StatusCodes.Status408RequestTimeout;
            return;
        }

        var response = await _dispatcher.HandleAsync(body, null, ctx.RequestAborted);
        ctx.Response.ContentType = "application/json";
        // A known length spares both sides chunked transfer encoding.
        ctx.Response.ContentLength = response?.Length ?? 0;
        if (response != null) await ctx.Response.Body.WriteAsync(response, ctx.RequestAborted);
    }

    private void ApplyCors(HttpContext ctx)
    {
        var origin = ctx.Request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)) return;
        bool any = _options.CorsOrigins.Contains("*");
        if (!any && !_options.CorsOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase)) return;
        var h = ctx.Response.Headers;
        h.AccessControlAllowOrigin = any ? "*" : origin;
        h.AccessControlAllowMethods = "POST, GET, OPTIONS";
        h.AccessControlAllowHeaders = "Content-Type, Authorization";
        h.AccessControlMaxAge = "600";
        if (!any) h.Vary = "Origin";
    }

    private string FormatHost() =>
        _options.Host.Equals(IPAddress.Any) || _options.Host.Equals(IPAddress.IPv6Any) ? "127.0.0.1"
        : _options.Host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{_options.Host}]"
        : _options.Host.ToString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
