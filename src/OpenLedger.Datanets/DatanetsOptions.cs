using OpenLedger.Datanets.Indexing;

namespace OpenLedger.Datanets;

/// <summary>How the Datanets service runs: where its data and chain are, its HTTP endpoint and its limits.</summary>
public sealed record DatanetsOptions
{
    /// <summary>Content store and (default) SQLite file live under here.</summary>
    public required string DataDir { get; init; }

    /// <summary>null: SQLite at {DataDir}/datanets.db; else postgres://… or sqlite:PATH.</summary>
    public string? Db { get; init; }

    /// <summary>The L2 JSON-RPC endpoint.</summary>
    public required string RpcUrl { get; init; }

    public required ulong ChainId { get; init; }

    public required ContractAddresses Contracts { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; } = 8547;

    /// <summary>An upload whose contribute transaction has not landed by then is deleted.</summary>
    public TimeSpan PendingTimeout { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan IndexerPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Latest expiry a permit may carry, counted from now (a longer-lived signature is a longer replay window).</summary>
    public TimeSpan MaxPermitLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Upload requests per address: burst and refill per minute.</summary>
    public int AddressBurst { get; init; } = 20;
    public double AddressPerMinute { get; init; } = 20;

    /// <summary>Upload requests per client IP.</summary>
    public int IpBurst { get; init; } = 60;
    public double IpPerMinute { get; init; } = 60;

    /// <summary>Origins allowed to call the API from a browser (the web app); empty = none.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Run the chain indexer in the host (off when another process indexes the same PostgreSQL database).</summary>
    public bool RunIndexer { get; init; } = true;

    /// <summary>More /api routes from the host that runs the service (the node's fine-tune jobs), in the same OpenAPI document.</summary>
    public Action<Microsoft.AspNetCore.Routing.RouteGroupBuilder>? ExtraRoutes { get; init; }
}
