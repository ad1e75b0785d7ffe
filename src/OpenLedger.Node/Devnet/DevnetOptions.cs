namespace OpenLedger.Node.Devnet;

/// <summary>What `openledger devnet` runs: ports, the anvil binary, the L2 block time and (optionally) a data directory.</summary>
/// <param name="ReplicaPort">The rollup devnet's replica JSON-RPC port (0: any free port; printed).</param>
public sealed record DevnetOptions(int L1Port, string? AnvilPath, int L2Port = 9545, int BlockTimeMs = 1000, string? DataDir = null,
    int ApiPort = 8547, bool Api = true, bool Rollup = true, int ReplicaPort = 9546)
{
    /// <summary>OpenLoRA serving (and the prover that closes its epochs): on unless --no-serve; its port (0 = any free one).</summary>
    public bool Serve { get; init; } = true;
    public int ServePort { get; init; } = 8000;

    /// <summary>Base models for fine-tune jobs from the web app (the factory routes in the Datanets API); null = none.</summary>
    public string? ModelsDir { get; init; }

    /// <summary>Services /app/config.json names beyond the devnet's own (e.g. inference = an `openledger serve` URL).</summary>
    public IReadOnlyDictionary<string, string> WebServices { get; init; } = new Dictionary<string, string>();
}
