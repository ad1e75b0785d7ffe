using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Datanets.Indexing;

namespace OpenLedger.Datanets.Tests;

/// <summary>The OpenAPI document lists every API route; the reference page and problem details are served. No chain needed.</summary>
public sealed partial class ApiDocumentTests : IAsyncLifetime
{
    private DatanetsHost _host = null!;
    private readonly HttpClient _http = new();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-apidoc-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _host = await DatanetsHost.StartAsync(new DatanetsOptions
        {
            DataDir = _dir,
            RpcUrl = "http://127.0.0.1:9", // never called: the indexer is off and no upload gets that far
            ChainId = 1,
            Contracts = new ContractAddresses("0x" + new string('1', 40), "0x" + new string('2', 40), "0x" + new string('3', 40)),
            Port = 0,
            RunIndexer = false,
        }, NullLoggerFactory.Instance);
        _http.BaseAddress = new Uri(_host.Url);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex Parameter();

    [Fact]
    public async Task EveryApiRoute_IsInTheOpenApiDocument()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("/openapi/v1.json"));
        Assert.StartsWith("3.", doc.RootElement.GetProperty("openapi").GetString());
        var paths = doc.RootElement.GetProperty("paths");
        var routes = _host.ApiRoutes();
        Assert.True(routes.Count >= 15, $"only {routes.Count} routes found");
        foreach (var (method, pattern) in routes)
        {
            var path = Parameter().Replace(pattern, "{$1}").TrimEnd('/');
            Assert.True(paths.TryGetProperty(path, out var item), $"{method} {path} is not in /openapi/v1.json");
            Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out _), $"{method} {path} is in the document without its method");
        }
        // and nothing in the document that is not a route
        foreach (var p in paths.EnumerateObject())
            Assert.Contains(routes, r => Parameter().Replace(r.Pattern, "{$1}").TrimEnd('/') == p.Name);
    }

    [Fact]
    public async Task ReferencePage_AndProblemDetails_AreServed()
    {
        using var docs = await _http.GetAsync("/api/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("text/html", docs.Content.Headers.ContentType!.ToString());
        Assert.Contains("openapi/v1.json", await docs.Content.ReadAsStringAsync());

        foreach (var (path, status) in new[] { ("/api/datanets/12345", 404), ("/api/nothing-here", 404), ("/api/datanets?limit=0", 400), ("/api/accounts/0xnope", 400), ("/api/contributions/0x12", 400), ("/api/datanets?cursor=-5", 400) })
        {
            using var resp = await _http.GetAsync(path);
            Assert.Equal(status, (int)resp.StatusCode);
            Assert.Equal("application/problem+json", resp.Content.Headers.ContentType!.MediaType);
            using var problem = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
            Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
        }
    }
}
