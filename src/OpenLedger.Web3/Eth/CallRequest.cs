using OpenLedger.Primitives;

namespace OpenLedger.Web3.Eth;

/// <summary>The transaction object of eth_call and eth_estimateGas. Null members are left out of the request.</summary>
public sealed record CallRequest
{
    public Address? From { get; init; }
    public Address? To { get; init; }
    public byte[]? Data { get; init; }
    public UInt256? Value { get; init; }
    public ulong? Gas { get; init; }
    public UInt256? GasPrice { get; init; }
    public UInt256? MaxFeePerGas { get; init; }
    public UInt256? MaxPriorityFeePerGas { get; init; }

    internal Dictionary<string, string> ToJson()
    {
        var d = new Dictionary<string, string>();
        if (From is { } f) d["from"] = f.ToLowerHex();
        if (To is { } t) d["to"] = t.ToLowerHex();
        if (Data is { } data) d["input"] = Hex.Encode(data);
        if (Value is { } v) d["value"] = Quantity.From(v);
        if (Gas is { } g) d["gas"] = Quantity.From(g);
        if (GasPrice is { } gp) d["gasPrice"] = Quantity.From(gp);
        if (MaxFeePerGas is { } mf) d["maxFeePerGas"] = Quantity.From(mf);
        if (MaxPriorityFeePerGas is { } mp) d["maxPriorityFeePerGas"] = Quantity.From(mp);
        return d;
    }
}
