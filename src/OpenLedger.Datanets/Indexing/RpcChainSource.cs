using System.Globalization;
using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Indexing;

/// <summary>The chain through Nethereum's JSON-RPC client (the L2 node, or any Ethereum endpoint).</summary>
public sealed class RpcChainSource(string rpcUrl) : IChainSource
{
    private readonly Nethereum.Web3.Web3 _web3 = new(rpcUrl);

    public string RpcUrl { get; } = rpcUrl;

    public Nethereum.Web3.Web3 Web3 => _web3;

    public async Task<long> HeadAsync(CancellationToken ct) =>
        (long)(await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    public async Task<string?> BlockHashAsync(long number, CancellationToken ct)
    {
        var block = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(new BigInteger(number)));
        return block?.BlockHash?.ToLowerInvariant();
    }

    public async Task<IReadOnlyList<RawLog>> LogsAsync(long from, long to, IReadOnlyList<string> addresses, CancellationToken ct)
    {
        var filter = new NewFilterInput
        {
            FromBlock = new BlockParameter(new HexBigInteger(new BigInteger(from))),
            ToBlock = new BlockParameter(new HexBigInteger(new BigInteger(to))),
            Address = addresses.ToArray(),
        };
        var logs = await _web3.Eth.Filters.GetLogs.SendRequestAsync(filter);
        var result = new List<RawLog>(logs.Length);
        foreach (var l in logs)
        {
            if (l.Removed) continue;
            var topics = (l.Topics ?? []).Select(t => Hash256.Parse(t.ToString()!)).ToArray();
            result.Add(new RawLog((long)l.BlockNumber.Value, (long)l.LogIndex.Value, l.BlockHash.ToLowerInvariant(),
                l.TransactionHash.ToLowerInvariant(), l.Address.ToLowerInvariant(), topics, Hex.Decode(l.Data ?? "0x")));
        }
        result.Sort((x, y) => x.BlockNumber != y.BlockNumber ? x.BlockNumber.CompareTo(y.BlockNumber) : x.LogIndex.CompareTo(y.LogIndex));
        return result;
    }

    /// <summary>eth_call at the latest block; returns the raw return data.</summary>
    public async Task<byte[]> CallAsync(string to, byte[] data, CancellationToken ct)
    {
        var hex = await _web3.Eth.Transactions.Call.SendRequestAsync(new CallInput { To = to, Data = Hex.Encode(data) }, BlockParameter.CreateLatest());
        return Hex.Decode(hex ?? "0x");
    }

    public static string Dec(long v) => v.ToString(CultureInfo.InvariantCulture);
}
