using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;
using OpenLedger.Rollup.Derivation;
using static OpenLedger.Rollup.L1.JsonRpcHex;

namespace OpenLedger.Rollup.L1;

/// <summary>
/// Reads L1 over JSON-RPC through Nethereum's client: blocks with full transactions (the sender is the node's
/// recovered <c>from</c>) the SystemConfig contract's logs of each block and, given the deposit contract, its TransactionDeposited logs. The blob base fee is computed from the
/// header's excessBlobGas (EIP-4844; Prague's update fraction when the header carries requestsHash, EIP-7685/7691).
/// </summary>
public sealed class RpcL1Source(IClient client, Address systemConfigAddress, Address? depositContract = null) : IL1Source
{
    private int _id;
    private readonly RpcDepositLogSource? _deposits = depositContract is { } portal ? new RpcDepositLogSource(client, portal) : null;

    /// <summary>With <paramref name="depositContract"/> (rollup.json's deposit_contract_address) each block carries the portal's logs.</summary>
    public static RpcL1Source Create(string url, Address systemConfigAddress, Address? depositContract = null) =>
        new(new RpcClient(new Uri(url)), systemConfigAddress, depositContract);

    private Task<JToken?> CallAsync(string method, params object[] args) =>
        client.SendRequestAsync<JToken?>(new RpcRequest(Interlocked.Increment(ref _id), method, args));

    public async Task<L1Block?> BlockByNumberAsync(ulong number, CancellationToken ct = default)
    {
        var b = await CallAsync("eth_getBlockByNumber", Quantity(number), true).ConfigureAwait(false);
        if (b is null || b.Type == JTokenType.Null) return null;
        var r = new L1BlockRef(Hash(b, "hash"), U64(b, "number"), Hash(b, "parentHash"), U64(b, "timestamp"));
        if (r.Number != number) throw new FormatException($"L1 RPC answered block {r.Number} for {number}");
        var txs = new List<L1Transaction>();
        foreach (var t in (JArray?)b["transactions"] ?? [])
        {
            byte type = t["type"] is null ? (byte)0 : (byte)U64(t, "type");
            Address? to = t["to"] is { Type: JTokenType.String } ? Addr(t, "to") : null;
            txs.Add(new L1Transaction(type, Addr(t, "from"), to, Data(t, "input")));
        }
        var logs = await SystemConfigLogsAsync(r.Hash, ct).ConfigureAwait(false);
        var baseFee = b["baseFeePerGas"] is null ? UInt256.Zero : U256(b, "baseFeePerGas");
        var blobBaseFee = b["excessBlobGas"] is null ? UInt256.One : BlobBaseFee(U64(b, "excessBlobGas"), prague: b["requestsHash"] is not null);
        Hash256? beacon = b["parentBeaconBlockRoot"] is { Type: JTokenType.String } ? Hash(b, "parentBeaconBlockRoot") : null;
        var deposits = _deposits is null ? [] : await _deposits.GetDepositLogsAsync(r.Hash, ct).ConfigureAwait(false);
        return new L1Block(r, baseFee, blobBaseFee, Hash(b, "mixHash"), beacon, txs, logs) { DepositLogs = deposits };
    }

    /// <summary>The SystemConfig contract's logs in one L1 block.</summary>
    public async Task<IReadOnlyList<L1Log>> SystemConfigLogsAsync(Hash256 blockHash, CancellationToken ct = default)
    {
        var logs = new List<L1Log>();
        var raw = await CallAsync("eth_getLogs", new Dictionary<string, object> { ["blockHash"] = blockHash.ToString(), ["address"] = systemConfigAddress.ToString() }).ConfigureAwait(false);
        foreach (var l in (JArray?)raw ?? [])
            logs.Add(new L1Log(Addr(l, "address"), ((JArray?)l["topics"] ?? []).Select(x => Hash256.Parse(x.Value<string>()!)).ToList(), Data(l, "data")));
        return logs;
    }

    public Task<L1BlockRef?> FinalizedAsync(CancellationToken ct = default) => BlockRefByTagAsync("finalized", ct);

    /// <summary>The L1 block a tag names ("latest", "safe", "finalized"), or null if the L1 knows none.</summary>
    public async Task<L1BlockRef?> BlockRefByTagAsync(string tag, CancellationToken ct = default)
    {
        JToken? b;
        try { b = await CallAsync("eth_getBlockByNumber", tag, false).ConfigureAwait(false); }
        catch (RpcResponseException) { return null; }
        if (b is null || b.Type == JTokenType.Null) return null;
        return new L1BlockRef(Hash(b, "hash"), U64(b, "number"), Hash(b, "parentHash"), U64(b, "timestamp"));
    }

    public async Task<ulong> HeadNumberAsync() => ulong.Parse(((string)(await CallAsync("eth_blockNumber").ConfigureAwait(false))!)[2..], System.Globalization.NumberStyles.AllowHexSpecifier);

    /// <summary>fake_exponential(MIN_BASE_FEE_PER_BLOB_GAS = 1, excess, update fraction) of EIP-4844.</summary>
    public static UInt256 BlobBaseFee(ulong excessBlobGas, bool prague)
    {
        System.Numerics.BigInteger factor = 1, numerator = excessBlobGas, denominator = prague ? 5_007_716 : 3_338_477;
        System.Numerics.BigInteger output = 0, acc = factor * denominator;
        for (int i = 1; acc > 0; i++)
        {
            output += acc;
            acc = acc * numerator / (denominator * i);
        }
        var v = output / denominator;
        var bytes = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        return bytes.Length > 32 ? throw new OverflowException("blob base fee above 2^256") : UInt256.FromBigEndian(bytes);
    }
}
