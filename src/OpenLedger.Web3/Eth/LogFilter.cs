using OpenLedger.Primitives;
using static OpenLedger.Web3.Eth.JsonRead;

namespace OpenLedger.Web3.Eth;

/// <summary>eth_getLogs filter: a block range (or one block hash), addresses, and topics (null matches anything; a list matches any of its entries).</summary>
public sealed record LogFilter
{
    public BlockParameter? FromBlock { get; init; }
    public BlockParameter? ToBlock { get; init; }
    public Hash256? BlockHash { get; init; }
    public IReadOnlyList<Address>? Addresses { get; init; }
    public IReadOnlyList<IReadOnlyList<Hash256>?>? Topics { get; init; }

    internal Dictionary<string, object> ToJson()
    {
        var d = new Dictionary<string, object>();
        if (FromBlock is { } f) d["fromBlock"] = f.ToString();
        if (ToBlock is { } t) d["toBlock"] = t.ToString();
        if (BlockHash is { } h) d["blockHash"] = h.ToString();
        if (Addresses is { } a) d["address"] = a.Select(x => x.ToLowerHex()).ToArray();
        if (Topics is { } topics)
            d["topics"] = topics.Select(alts => (object?)alts?.Select(x => x.ToString()).ToArray()).ToArray();
        return d;
    }
}
