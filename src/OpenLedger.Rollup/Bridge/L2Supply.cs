using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;
using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives.Abi;
using static OpenLedger.Rollup.L1.JsonRpcHex;

namespace OpenLedger.Rollup.Bridge;

/// <summary>
/// The OPEN that deposits minted and withdrawals burned on L2, summed from the L2's own blocks up to <see cref="Head"/>,
/// and what the portal's TransactionDeposited logs on L1 say should have been minted by then: every deposit of an L1
/// block up to the head's L1 origin (a deposit enters L2 in the first block of its L1 origin's epoch, so by the head all
/// of them are in).
/// </summary>
public sealed record L2Supply(ulong Head, ulong HeadL1Origin, UInt256 Minted, UInt256 Burned, UInt256 DepositedUpToOrigin, int Deposits)
{
    /// <summary>
    /// Reads blocks 0..<paramref name="headTag"/> from the L2 (every deposit transaction's <c>mint</c>; MessagePassed
    /// values for the burns) and the portal's logs from the L1 up to the head's origin. Blocks are read
    /// <paramref name="parallel"/> at a time.
    /// </summary>
    public static async Task<L2Supply> ReadAsync(IClient l1, IClient l2, Address portal, string headTag = "latest", int parallel = 16, CancellationToken ct = default)
    {
        int id = 0;
        async Task<JToken?> Rpc(IClient c, string method, params object[] args) =>
            await c.SendRequestAsync<JToken?>(new RpcRequest(Interlocked.Increment(ref id), method, args)).ConfigureAwait(false);

        var headBlock = await Rpc(l2, "eth_getBlockByNumber", headTag, true).ConfigureAwait(false) as JObject
            ?? throw new FormatException($"the L2 node has no '{headTag}' block");
        ulong head = U64(headBlock, "number");
        ulong origin = OriginOf(headBlock) ?? 0;

        var minted = UInt256.Zero;
        int deposits = 0;
        for (ulong start = 0; start <= head; start += (ulong)parallel)
        {
            ct.ThrowIfCancellationRequested();
            var batch = Enumerable.Range(0, (int)Math.Min((ulong)parallel, head - start + 1))
                .Select(i => Rpc(l2, "eth_getBlockByNumber", "0x" + (start + (ulong)i).ToString("x"), true)).ToArray();
            foreach (var block in await Task.WhenAll(batch).ConfigureAwait(false))
                foreach (var tx in (JArray?)block?["transactions"] ?? [])
                    if (tx["type"]?.Value<string>() == "0x7e" && tx["mint"] is { Type: JTokenType.String })
                    {
                        var m = U256(tx, "mint");
                        if (!m.IsZero) deposits++;
                        minted += m;
                    }
        }

        var burned = UInt256.Zero;
        var messageData = AbiType.Parse("(uint256,uint256,bytes,bytes32)").Components;
        foreach (var log in await LogsAsync(l2, Predeploys.L2ToL1MessagePasser, BridgeClient.MessagePassedTopic, head, Rpc).ConfigureAwait(false))
            burned += (UInt256)AbiDecoder.Decode(messageData, Hex.Decode(log["data"]!.Value<string>()!))[0]!;

        var deposited = UInt256.Zero;
        if (origin > 0)
            foreach (var log in await LogsAsync(l1, portal, DepositLog.TransactionDepositedTopic, origin, Rpc).ConfigureAwait(false))
            {
                var l1Log = new L1DepositLog(Hash256.Parse(log["blockHash"]!.Value<string>()!), U64(log, "logIndex"),
                    ((JArray)log["topics"]!).Select(t => Hash256.Parse(t.Value<string>()!)).ToList(), Hex.Decode(log["data"]!.Value<string>()!));
                try { deposited += DepositLog.Decode(l1Log).Mint; }
                catch (DepositLogException) { } // skipped by the sequencer and derivation alike: never minted
            }
        return new L2Supply(head, origin, minted, burned, deposited, deposits);
    }

    /// <summary>The L1 origin number a rollup block's L1 attributes deposit names; null for genesis (no transactions).</summary>
    private static ulong? OriginOf(JObject block)
    {
        if (block["transactions"] is not JArray { Count: > 0 } txs || txs[0]["input"]?.Value<string>() is not { } input) return null;
        return L1BlockInfo.Decode(Hex.Decode(input)).Number;
    }

    /// <summary>eth_getLogs of one event from block 0 to <paramref name="to"/>, in ranges of 5,000 blocks (under nodes' range limits).</summary>
    private static async Task<List<JToken>> LogsAsync(IClient c, Address address, Hash256 topic, ulong to, Func<IClient, string, object[], Task<JToken?>> rpc)
    {
        var all = new List<JToken>();
        for (ulong from = 0; from <= to; from += 5_000)
        {
            var filter = new Dictionary<string, object>
            {
                ["fromBlock"] = "0x" + from.ToString("x"), ["toBlock"] = "0x" + Math.Min(to, from + 4_999).ToString("x"),
                ["address"] = address.ToString(), ["topics"] = new object[] { topic.ToString() },
            };
            all.AddRange((JArray?)await rpc(c, "eth_getLogs", [filter]).ConfigureAwait(false) ?? []);
        }
        return all;
    }
}
