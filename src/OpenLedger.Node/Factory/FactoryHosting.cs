using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using OpenLedger.AI.Provenance;
using OpenLedger.Datanets.Indexing;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Factory;

/// <summary>
/// The fine-tune job service beside a node's Datanets API (`node --api --models-dir DIR`, `devnet --models-dir DIR`):
/// its routes go into the API host, and its jobs start once the API listens (they read the Datanet versions from it).
/// </summary>
public sealed class FactoryHosting : IAsyncDisposable
{
    private string? _apiUrl;

    public FineTuneJobs Jobs { get; }

    private FactoryHosting(Func<FactoryHosting, FineTuneJobs> jobs) => Jobs = jobs(this);

    /// <param name="dataDir">Jobs and adapters go under DATA/factory.</param>
    /// <param name="contractsFile">deployments/&lt;chainid&gt;-l2.json: DatanetRegistry, which the version roots are checked against.</param>
    public static FactoryHosting Create(string modelsDir, string dataDir, string l2RpcUrl, string contractsFile, ILoggerFactory loggers)
    {
        var registry = Address.Parse(ContractAddresses.Load(contractsFile).DatanetRegistry);
        return new FactoryHosting(self => new FineTuneJobs(Path.Combine(dataDir, "factory"), modelsDir,
            () => self._apiUrl ?? throw new InvalidOperationException("the Datanets API is not listening yet"),
            new ChainEndpoint(l2RpcUrl, registry), loggers.CreateLogger("OpenLedger.Factory")));
    }

    public Action<RouteGroupBuilder> Routes => api => FineTuneEndpoints.Map(api, Jobs);

    /// <summary>The API listens at <paramref name="apiUrl"/>: jobs may run.</summary>
    public void Started(string apiUrl)
    {
        _apiUrl = apiUrl;
        Jobs.Start();
    }

    public ValueTask DisposeAsync() => Jobs.DisposeAsync();
}
