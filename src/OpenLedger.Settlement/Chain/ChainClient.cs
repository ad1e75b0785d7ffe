using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Settlement.Chain;

/// <summary>One log as settlement and the prover read it.</summary>
public sealed record ChainLog(ulong BlockNumber, ulong LogIndex, Hash256 TransactionHash, Address Address, IReadOnlyList<Hash256> Topics, byte[] Data);

/// <summary>A mined transaction: its hash, block, status and logs.</summary>
public sealed record ChainReceipt(Hash256 TransactionHash, ulong BlockNumber, bool Succeeded, IReadOnlyList<ChainLog> Logs);

/// <summary>
/// The L2 through Nethereum: eth_call reads, logs, and transactions signed with a key Nethereum holds (EIP-1559,
/// gas estimated, waited for). ABI encoding is ours (<see cref="AbiFunction"/>), so calldata matches the contracts in
/// contracts/src/l2 exactly.
/// </summary>
public sealed class ChainClient
{
    private readonly string _rpcUrl;
    private readonly Nethereum.Web3.Web3 _web3;

    public ChainClient(string rpcUrl)
    {
        if (!Uri.TryCreate(rpcUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new ArgumentException($"RPC URL '{rpcUrl}' is not an http(s) URL");
        _rpcUrl = rpcUrl;
        _web3 = new Nethereum.Web3.Web3(rpcUrl);
    }

    public string RpcUrl => _rpcUrl;

    public async Task<ulong> ChainIdAsync() => (ulong)(await _web3.Eth.ChainId.SendRequestAsync()).Value;

    public async Task<ulong> BlockNumberAsync() => (ulong)(await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    /// <summary>The latest block's timestamp (what the contracts see as block.timestamp for the next reads).</summary>
    public async Task<ulong> LatestTimestampAsync()
    {
        var b = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        return (ulong)b.Timestamp.Value;
    }

    public async Task<UInt256> BalanceAsync(Address a) =>
        UInt256.FromBigInteger((await _web3.Eth.GetBalance.SendRequestAsync(a.ToString())).Value);

    /// <summary>eth_call at latest; decodes the outputs. A revert surfaces as Nethereum's RPC exception.</summary>
    public async Task<object?[]> CallAsync(Address to, AbiFunction f, params object?[] args)
    {
        var hex = await _web3.Eth.Transactions.Call.SendRequestAsync(new CallInput { To = to.ToString(), Data = Hex.Encode(f.EncodeCall(args)) }, BlockParameter.CreateLatest());
        return f.DecodeOutput(Hex.Decode(hex ?? "0x"));
    }

    /// <summary>Logs of <paramref name="address"/> whose first topics match (null = any), oldest first.</summary>
    public async Task<IReadOnlyList<ChainLog>> LogsAsync(Address address, IReadOnlyList<Hash256?> topics, ulong fromBlock, ulong toBlock)
    {
        var filter = new NewFilterInput
        {
            FromBlock = new BlockParameter(new HexBigInteger(new BigInteger(fromBlock))),
            ToBlock = new BlockParameter(new HexBigInteger(new BigInteger(toBlock))),
            Address = [address.ToString()],
            Topics = topics.Select(t => (object?)t?.ToString()).ToArray()!,
        };
        var logs = await _web3.Eth.Filters.GetLogs.SendRequestAsync(filter);
        return logs.Where(l => !l.Removed).Select(l => new ChainLog((ulong)l.BlockNumber.Value, (ulong)l.LogIndex.Value,
                Hash256.Parse(l.TransactionHash), Address.Parse(l.Address), (l.Topics ?? []).Select(t => Hash256.Parse(t.ToString()!)).ToArray(),
                Hex.Decode(l.Data ?? "0x")))
            .OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex).ToArray();
    }

    /// <summary>Sends a transaction signed with <paramref name="privateKey"/> and waits for its receipt.</summary>
    public async Task<ChainReceipt> SendAsync(byte[] privateKey, Address to, byte[] data, UInt256? value = null, CancellationToken ct = default)
    {
        var chainId = await ChainIdAsync();
        var account = new Nethereum.Web3.Accounts.Account(Hex.Encode(privateKey), new BigInteger(chainId));
        var web3 = new Nethereum.Web3.Web3(account, _rpcUrl);
        web3.TransactionManager.UseLegacyAsDefault = false;
        var input = new TransactionInput(Hex.Encode(data), to.ToString(), account.Address, null, new HexBigInteger((value ?? UInt256.Zero).ToBigInteger()));
        var gas = await web3.Eth.TransactionManager.EstimateGasAsync(input);
        input.Gas = new HexBigInteger(gas.Value + gas.Value / 5 + 21_000);
        var r = await web3.Eth.TransactionManager.SendTransactionAndWaitForReceiptAsync(input, ct);
        var logs = new List<ChainLog>();
        foreach (var l in r.Logs ?? [])
        {
            logs.Add(new ChainLog((ulong)l.BlockNumber.Value, (ulong)l.LogIndex.Value, Hash256.Parse(l.TransactionHash), Address.Parse(l.Address),
                (l.Topics ?? []).Select(t => Hash256.Parse(t.ToString()!)).ToArray(), Hex.Decode(l.Data ?? "0x")));
        }
        return new ChainReceipt(Hash256.Parse(r.TransactionHash), (ulong)r.BlockNumber.Value, r.Status.Value == 1, logs);
    }
}
