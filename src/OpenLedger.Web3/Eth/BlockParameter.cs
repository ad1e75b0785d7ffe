namespace OpenLedger.Web3.Eth;

/// <summary>A block number or tag ("latest", "pending", "safe", "finalized", "earliest") as eth_* methods take it. The default value means "latest".</summary>
public readonly record struct BlockParameter
{
    private readonly string? _text;

    private BlockParameter(string text) => _text = text;

    public static BlockParameter Latest => new("latest");
    public static BlockParameter Pending => new("pending");
    public static BlockParameter Earliest => new("earliest");
    public static BlockParameter Safe => new("safe");
    public static BlockParameter Finalized => new("finalized");
    public static BlockParameter Number(ulong n) => new(Quantity.From(n));

    public static implicit operator BlockParameter(ulong n) => Number(n);

    public override string ToString() => _text ?? "latest";
}
