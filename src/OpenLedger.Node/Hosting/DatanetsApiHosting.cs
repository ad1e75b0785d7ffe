using Microsoft.Extensions.Logging;
using OpenLedger.Datanets;
using OpenLedger.Datanets.Indexing;

namespace OpenLedger.Node.Hosting;

/// <summary>Starts the Datanets service (REST API, indexer, content store) beside a node, following that node's JSON-RPC.</summary>
public static class DatanetsApiHosting
{
    /// <summary>
    /// <paramref name="contractsFile"/> is a deployments/&lt;chainid&gt;-l2.json as DeployL2.s.sol writes it;
    /// <paramref name="dataDir"/> holds the content store and the SQLite file (unless <paramref name="db"/> names PostgreSQL).
    /// </summary>
    public static Task<DatanetsHost> StartAsync(NodeHost node, string contractsFile, string dataDir, string? db, string host, int port,
        IReadOnlyList<string> corsOrigins, ILoggerFactory loggers, CancellationToken ct, Action<Microsoft.AspNetCore.Routing.RouteGroupBuilder>? extraRoutes = null)
    {
        if (!File.Exists(contractsFile))
            throw new InvalidOperationException($"the Datanets API needs the L2 contract addresses: {contractsFile} does not exist (deploy with forge script contracts/script/DeployL2.s.sol, or pass --contracts)");
        ContractAddresses contracts;
        try
        {
            contracts = ContractAddresses.Load(contractsFile);
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException)
        {
            throw new InvalidOperationException($"--contracts: {e.Message}");
        }
        return DatanetsHost.StartAsync(new DatanetsOptions
        {
            DataDir = dataDir,
            Db = db,
            RpcUrl = node.RpcUrl,
            ChainId = node.Chain.Config.ChainId,
            Contracts = contracts,
            Host = host,
            Port = port,
            CorsOrigins = corsOrigins,
            ExtraRoutes = extraRoutes,
        }, loggers, ct);
    }
}
