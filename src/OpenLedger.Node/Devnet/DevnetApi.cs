using OpenLedger.Datanets;
using OpenLedger.Node.Hosting;

namespace OpenLedger.Node.Devnet;

/// <summary>The devnet's Datanets REST API: on by default, following the devnet L2 and the contracts it just deployed.</summary>
public sealed class DevnetApi : IAsyncDisposable
{
    private readonly DatanetsHost? _host;
    private readonly string? _tempDir;
    private readonly Microsoft.Extensions.Logging.ILoggerFactory? _loggers;
    private readonly Factory.FactoryHosting? _factory;

    private DevnetApi(DatanetsHost? host, string? tempDir, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null, Factory.FactoryHosting? factory = null)
    {
        _host = host;
        _tempDir = tempDir;
        _loggers = loggers;
        _factory = factory;
    }

    /// <summary>http://host:port of the API, or null when it is not running.</summary>
    public string? Url => _host?.Url;

    /// <summary>The API's URL when it also runs fine-tune jobs (--models-dir), else null.</summary>
    public string? FactoryUrl => _factory != null ? _host?.Url : null;

    /// <summary>Starts the API (or says why not and carries on: the chain still runs).</summary>
    public static async Task<DevnetApi> StartAsync(DevnetOptions options, NodeHost l2, TextWriter output, CancellationToken ct)
    {
        if (!options.Api) return new DevnetApi(null, null);
        var root = ToolLocator.FindRepoRoot();
        var contracts = root == null ? null : Path.Combine(root, "deployments", $"{l2.Chain.Config.ChainId}-l2.json");
        if (contracts == null || !File.Exists(contracts))
        {
            await output.WriteLineAsync("Datanets REST API: not started: the L2 contracts were not deployed");
            return new DevnetApi(null, null);
        }
        // With --datadir the API's store and SQLite file persist beside the chain; otherwise they go with the devnet.
        string? temp = options.DataDir == null ? Path.Combine(Path.GetTempPath(), "openledger-devnet-api-" + Environment.ProcessId) : null;
        var dataDir = options.DataDir != null ? Path.Combine(options.DataDir, "datanets") : temp!;
        var loggers = Logging.Create();
        Factory.FactoryHosting? factory = null;
        try
        {
            if (options.ModelsDir != null) factory = Factory.FactoryHosting.Create(options.ModelsDir, dataDir, l2.RpcUrl, contracts, loggers);
            var host = await DatanetsApiHosting.StartAsync(l2, contracts, dataDir, null, "127.0.0.1", options.ApiPort, ["*"], loggers, ct, factory?.Routes);
            await output.WriteLineAsync($"Datanets REST API: {host.Url}/api (OpenAPI {host.Url}/openapi/v1.json, docs {host.Url}/api/docs)");
            if (factory != null)
            {
                factory.Started(host.Url);
                await output.WriteLineAsync($"ModelFactory jobs: {host.Url}/api/factory/jobs (base models from {Path.GetFullPath(options.ModelsDir!)}, adapters in {factory.Jobs.AdaptersDir})");
            }
            return new DevnetApi(host, temp, loggers, factory);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.Data.Common.DbException)
        {
            if (factory != null) await factory.DisposeAsync();
            loggers.Dispose();
            await Console.Error.WriteLineAsync($"error: Datanets REST API: {e.Message}");
            return new DevnetApi(null, temp);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory != null) await _factory.DisposeAsync();
        if (_host != null) await _host.DisposeAsync();
        _loggers?.Dispose();
        if (_tempDir != null)
            try { Directory.Delete(_tempDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
