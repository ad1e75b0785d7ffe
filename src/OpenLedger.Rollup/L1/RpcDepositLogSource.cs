using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;
using OpenLedger.Chain.Rollup;
using static OpenLedger.Rollup.L1.JsonRpcHex;

namespace OpenLedger.Rollup.L1;

/// <summary>
/// The portal's (deposit contract's) TransactionDeposited logs of one L1 block, by <c>eth_getLogs</c> with the block
/// hash (so a reorg cannot mix blocks), through Nethereum's client. Used by derivation (<see cref="RpcL1Source"/>) and
/// by the node's sequencer, so both read the same logs. Logs of reverted transactions never appear in eth_getLogs, as
/// op-node's receipt filter leaves them out.
/// </summary>
public sealed class RpcDepositLogSource(IClient client, Address depositContract) : IL1DepositSource
{
    private int _id;

    public Address DepositContract => depositContract;

    public static RpcDepositLogSource Create(string url, Address depositContract) => new(new RpcClient(new Uri(url)), depositContract);

    public async Task<IReadOnlyList<L1DepositLog>> GetDepositLogsAsync(Hash256 blockHash, CancellationToken ct)
    {
        var filter = new Dictionary<string, object>
        {
            ["blockHash"] = blockHash.ToString(),
            ["address"] = depositContract.ToString(),
            ["topics"] = new object[] { DepositLog.TransactionDepositedTopic.ToString() },
        };
        var raw = await client.SendRequestAsync<JToken?>(new RpcRequest(Interlocked.Increment(ref _id), "eth_getLogs", filter)).WaitAsync(ct).ConfigureAwait(false);
        var logs = new List<L1DepositLog>();
        foreach (var l in (JArray?)raw ?? [])
        {
            if (l["removed"]?.Type == JTokenType.Boolean && l["removed"]!.Value<bool>()) continue;
            if (Hash(l, "blockHash") != blockHash) throw new FormatException($"L1 RPC answered a log of block {Str(l, "blockHash")} for block {blockHash}");
            if (Addr(l, "address") != depositContract) throw new FormatException($"L1 RPC answered a log of {Str(l, "address")} for the deposit contract {depositContract}");
            var topics = ((JArray?)l["topics"] ?? []).Select(x => Hash256.TryParse(x.Value<string>(), out var h) ? h : throw new FormatException("L1 RPC: log topic is not a 32-byte hash")).ToList();
            logs.Add(new L1DepositLog(blockHash, U64(l, "logIndex"), topics, Data(l, "data")));
        }
        return logs;
    }
}
