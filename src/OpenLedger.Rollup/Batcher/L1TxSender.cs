using Microsoft.Extensions.Logging;
using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;
using OpenLedger.Primitives.Transactions;
using static OpenLedger.Rollup.L1.JsonRpcHex;

namespace OpenLedger.Rollup.Batcher;

/// <summary>
/// Sends the batcher's L1 transactions one at a time: EIP-1559, signed here with the batcher key, submitted through
/// Nethereum's client. A transaction not mined within <see cref="BumpAfter"/> is replaced at the same nonce with fees
/// raised by a quarter (nodes require at least 10%); the nonce is read from L1 each time, so a restart simply
/// replaces whatever a previous run left pending.
/// </summary>
public sealed class L1TxSender(IClient client, byte[] privateKey, ulong chainId, ILogger logger)
{
    private int _id;
    public Address From { get; } = Primitives.Crypto.Secp256k1.AddressFromPrivateKey(privateKey);
    public TimeSpan BumpAfter { get; init; } = TimeSpan.FromSeconds(12);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Replacements sent so far (fee bumps).</summary>
    public int Bumps { get; private set; }

    private Task<JToken?> CallAsync(string method, params object[] args) =>
        client.SendRequestAsync<JToken?>(new RpcRequest(Interlocked.Increment(ref _id), method, args));

    private async Task<ulong> QuantityAsync(string method, params object[] args)
    {
        var v = await CallAsync(method, args).ConfigureAwait(false);
        return U64(new JObject { ["v"] = v }, "v");
    }

    /// <summary>Sends <paramref name="data"/> to <paramref name="to"/> and waits until it is mined; returns the L1 block number.</summary>
    public Task<ulong> SendAsync(Address to, byte[] data, CancellationToken ct) => SendAsync(to, data, UInt256.Zero, ct);

    /// <summary>The hash of the last transaction <see cref="SendAsync(Address, byte[], UInt256, CancellationToken)"/> saw mined.</summary>
    public Hash256 LastTransactionHash { get; private set; }

    /// <summary>Sends <paramref name="data"/> with <paramref name="value"/> wei to <paramref name="to"/> and waits until it is mined; returns the block number.</summary>
    public async Task<ulong> SendAsync(Address to, byte[] data, UInt256 value, CancellationToken ct)
    {
        ulong nonce = await QuantityAsync("eth_getTransactionCount", From.ToString(), "latest").ConfigureAwait(false);
        var call = new Dictionary<string, object> { ["from"] = From.ToString(), ["to"] = to.ToString(), ["data"] = Hex.Encode(data), ["value"] = value.ToHexString() };
        ulong gas = await QuantityAsync("eth_estimateGas", call).ConfigureAwait(false);
        var latest = await CallAsync("eth_getBlockByNumber", "latest", false).ConfigureAwait(false) ?? throw new InvalidOperationException("L1 has no latest block");
        var baseFee = U256(latest, "baseFeePerGas");
        UInt256 tip;
        try { tip = U256(new JObject { ["v"] = await CallAsync("eth_maxPriorityFeePerGas").ConfigureAwait(false) }, "v"); }
        catch (RpcResponseException) { tip = new UInt256(1_000_000_000); }
        if (tip.IsZero) tip = new UInt256(1);
        var maxFee = baseFee * new UInt256(2) + tip;

        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var tx = new Transaction
            {
                Type = TxType.DynamicFee, ChainId = chainId, Nonce = nonce, GasLimit = gas + gas / 10, To = to, Data = data, Value = value,
                MaxPriorityFeePerGas = tip, MaxFeePerGas = maxFee,
            };
            tx.Sign(privateKey);
            var hash = tx.Hash;
            try
            {
                await CallAsync("eth_sendRawTransaction", Hex.Encode(tx.Encode())).ConfigureAwait(false);
            }
            catch (RpcResponseException e) when (e.Message.Contains("underpriced", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("already known", StringComparison.OrdinalIgnoreCase))
            {
                logger.LogInformation("L1 tx nonce {Nonce}: {Error}; raising fees", nonce, e.Message);
                (tip, maxFee) = Bump(tip, maxFee);
                continue;
            }
            catch (RpcResponseException e) when (e.Message.Contains("nonce too low", StringComparison.OrdinalIgnoreCase))
            {
                nonce = await QuantityAsync("eth_getTransactionCount", From.ToString(), "latest").ConfigureAwait(false);
                continue;
            }
            var deadline = DateTime.UtcNow + BumpAfter;
            while (DateTime.UtcNow < deadline)
            {
                var receipt = await CallAsync("eth_getTransactionReceipt", hash.ToString()).ConfigureAwait(false);
                if (receipt is { Type: JTokenType.Object })
                {
                    if (U64(receipt, "status") != 1) throw new InvalidOperationException($"transaction {hash} reverted");
                    LastTransactionHash = hash;
                    return U64(receipt, "blockNumber");
                }
                if (await QuantityAsync("eth_getTransactionCount", From.ToString(), "latest").ConfigureAwait(false) > nonce)
                {
                    // another transaction of ours took this nonce (a replacement, or one a previous run sent)
                    receipt = await CallAsync("eth_getTransactionReceipt", hash.ToString()).ConfigureAwait(false);
                    if (receipt is { Type: JTokenType.Object })
                    {
                        // ours after all, mined between the two reads
                        if (U64(receipt, "status") != 1) throw new InvalidOperationException($"transaction {hash} reverted");
                        LastTransactionHash = hash;
                        return U64(receipt, "blockNumber");
                    }
                    logger.LogInformation("L1 nonce {Nonce} was taken by an earlier transaction; resending the data", nonce);
                    nonce++;
                    goto resend;
                }
                await Task.Delay(PollInterval, ct).ConfigureAwait(false);
            }
            Bumps++;
            (tip, maxFee) = Bump(tip, maxFee);
            logger.LogInformation("L1 tx {Hash} (nonce {Nonce}) not mined after {Seconds}s: replacing with tip {Tip}, fee cap {Cap}", hash, nonce, BumpAfter.TotalSeconds, tip, maxFee);
            resend:;
        }
    }

    private static (UInt256 Tip, UInt256 Cap) Bump(UInt256 tip, UInt256 cap) =>
        (tip + tip / new UInt256(4) + UInt256.One, cap + cap / new UInt256(4) + UInt256.One);
}
