using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Web3.Rpc;
using static OpenLedger.Web3.Eth.JsonRead;

namespace OpenLedger.Web3.Eth;

/// <summary>Typed eth_* calls over a <see cref="JsonRpcClient"/>.</summary>
public sealed class EthClient : IDisposable
{
    public JsonRpcClient Rpc { get; }
    private readonly bool _ownsRpc;

    public EthClient(JsonRpcClient rpc, bool ownsRpc = false)
    {
        Rpc = rpc;
        _ownsRpc = ownsRpc;
    }

    public EthClient(string url, JsonRpcClientOptions? options = null) : this(new JsonRpcClient(new Uri(url), options), ownsRpc: true) { }

    private Task<JsonElement> Call(string method, CancellationToken ct, params object?[] args) => Rpc.CallAsync(method, args, ct);

    public async Task<ulong> ChainIdAsync(CancellationToken ct = default) => ULong(await Call("eth_chainId", ct), "eth_chainId");
    public async Task<ulong> BlockNumberAsync(CancellationToken ct = default) => ULong(await Call("eth_blockNumber", ct), "eth_blockNumber");
    public async Task<UInt256> GasPriceAsync(CancellationToken ct = default) => U256(await Call("eth_gasPrice", ct), "eth_gasPrice");
    public async Task<UInt256> MaxPriorityFeePerGasAsync(CancellationToken ct = default) =>
        U256(await Call("eth_maxPriorityFeePerGas", ct), "eth_maxPriorityFeePerGas");

    public async Task<UInt256> GetBalanceAsync(Address account, BlockParameter block = default, CancellationToken ct = default) =>
        U256(await Call("eth_getBalance", ct, account.ToLowerHex(), block.ToString()), "eth_getBalance");

    public async Task<ulong> GetTransactionCountAsync(Address account, BlockParameter block = default, CancellationToken ct = default) =>
        ULong(await Call("eth_getTransactionCount", ct, account.ToLowerHex(), block.ToString()), "eth_getTransactionCount");

    public async Task<byte[]> GetCodeAsync(Address account, BlockParameter block = default, CancellationToken ct = default) =>
        Bytes(await Call("eth_getCode", ct, account.ToLowerHex(), block.ToString()), "eth_getCode");

    public async Task<Hash256> GetStorageAtAsync(Address account, UInt256 slot, BlockParameter block = default, CancellationToken ct = default) =>
        Hash(await Call("eth_getStorageAt", ct, account.ToLowerHex(), Quantity.From(slot), block.ToString()), "eth_getStorageAt");

    /// <summary>eth_call; a revert comes back as an <see cref="RpcException"/> whose RevertData holds the revert data.</summary>
    public async Task<byte[]> CallAsync(CallRequest call, BlockParameter block = default, CancellationToken ct = default) =>
        Bytes(await Call("eth_call", ct, call.ToJson(), block.ToString()), "eth_call");

    public async Task<ulong> EstimateGasAsync(CallRequest call, BlockParameter? block = null, CancellationToken ct = default) =>
        ULong(block is { } b ? await Call("eth_estimateGas", ct, call.ToJson(), b.ToString()) : await Call("eth_estimateGas", ct, call.ToJson()),
            "eth_estimateGas");

    public async Task<FeeHistory> FeeHistoryAsync(int blockCount, BlockParameter newest = default, IReadOnlyList<double>? rewardPercentiles = null,
        CancellationToken ct = default) =>
        FeeHistory.Read(await Call("eth_feeHistory", ct, Quantity.From((ulong)blockCount), newest.ToString(), rewardPercentiles ?? System.Array.Empty<double>()));

    public async Task<Hash256> SendRawTransactionAsync(ReadOnlyMemory<byte> signedTransaction, CancellationToken ct = default) =>
        Hash(await Call("eth_sendRawTransaction", ct, Hex.Encode(signedTransaction.Span)), "eth_sendRawTransaction");

    /// <summary>The receipt, or null while the transaction is unknown or not yet mined.</summary>
    public async Task<Receipt?> GetTransactionReceiptAsync(Hash256 txHash, CancellationToken ct = default)
    {
        var r = await Call("eth_getTransactionReceipt", ct, txHash.ToString());
        return r.ValueKind == JsonValueKind.Null ? null : Wrap("eth_getTransactionReceipt", () => Receipt.Read(r));
    }

    public async Task<RpcTransaction?> GetTransactionByHashAsync(Hash256 txHash, CancellationToken ct = default)
    {
        var r = await Call("eth_getTransactionByHash", ct, txHash.ToString());
        return r.ValueKind == JsonValueKind.Null ? null : Wrap("eth_getTransactionByHash", () => RpcTransaction.Read(r));
    }

    /// <summary>The signed transaction's canonical encoding (eth_getRawTransactionByHash), or null when unknown.</summary>
    public async Task<byte[]?> GetRawTransactionByHashAsync(Hash256 txHash, CancellationToken ct = default)
    {
        var r = await Call("eth_getRawTransactionByHash", ct, txHash.ToString());
        return r.ValueKind == JsonValueKind.Null ? null : Bytes(r, "eth_getRawTransactionByHash");
    }

    /// <summary>The block's header fields and transaction hashes, or null when there is no such block.</summary>
    public async Task<Block?> GetBlockByNumberAsync(BlockParameter block = default, CancellationToken ct = default)
    {
        var r = await Call("eth_getBlockByNumber", ct, block.ToString(), false);
        return r.ValueKind == JsonValueKind.Null ? null : Wrap("eth_getBlockByNumber", () => Block.Read(r));
    }

    public async Task<IReadOnlyList<Log>> GetLogsAsync(LogFilter filter, CancellationToken ct = default)
    {
        var r = await Call("eth_getLogs", ct, filter.ToJson());
        if (r.ValueKind != JsonValueKind.Array) throw new RpcFormatException($"eth_getLogs returned a JSON {r.ValueKind}, not an array");
        return Wrap("eth_getLogs", () => r.EnumerateArray().Select((e, i) => Log.Read(e, $"log {i}")).ToArray());
    }

    public async Task<AccountProof> GetProofAsync(Address account, IReadOnlyList<UInt256> storageKeys, BlockParameter block = default, CancellationToken ct = default)
    {
        var keys = storageKeys.Select(k => Hex.Encode(SlotBytes(k))).ToArray();
        var r = await Call("eth_getProof", ct, account.ToLowerHex(), keys, block.ToString());
        return Wrap("eth_getProof", () => AccountProof.Read(r));
    }

    private static byte[] SlotBytes(UInt256 k)
    {
        var b = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b, k.u3);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(8), k.u2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(16), k.u1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(24), k.u0);
        return b;
    }

    private static T Wrap<T>(string method, Func<T> read)
    {
        try { return read(); }
        catch (RpcFormatException e) { throw new RpcFormatException($"{method}: {e.Message}", e); }
    }

    public void Dispose()
    {
        if (_ownsRpc) Rpc.Dispose();
    }
}
