using System.Text.Json;
using OpenLedger.Chain;
using OpenLedger.Chain.TxPool;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Dev;

/// <summary>
/// eth_sendTransaction on a devnet: fills in what the call leaves out (nonce, gas by estimation, EIP-1559 fees of
/// 2 × next base fee + tip), then signs with the dev account's key, or, for an account dev mode impersonates, adds it
/// unsigned (a placeholder signature r = sender, s = 1 that no key made).
/// </summary>
internal sealed class DevTransactionSender
{
    private readonly Blockchain _chain;
    private readonly CallExecutor _calls;
    private readonly EthRpcOptions _eth;
    private readonly Dictionary<Address, byte[]> _keys = new();

    public DevTransactionSender(Blockchain chain, EthRpcOptions eth, IEnumerable<(Address Address, byte[] Key)> accounts)
    {
        _chain = chain;
        _calls = new CallExecutor(chain);
        _eth = eth;
        foreach (var (address, key) in accounts)
            if (_keys.TryAdd(address, key)) Accounts.Add(address);
    }

    /// <summary>The accounts whose keys the node holds, in the order given.</summary>
    public List<Address> Accounts { get; } = [];

    public bool HasKey(Address a) => _keys.ContainsKey(a);

    /// <param name="impersonated">Whether dev mode impersonates the sender (only a plain-chain devnet can).</param>
    public string Send(CallArgs args, JsonElement raw, Func<Address, bool> impersonated)
    {
        if (!raw.TryGetProperty("from", out var f) || f.ValueKind == JsonValueKind.Null)
            throw RpcException.InvalidParams("invalid argument 0: field from is required");
        var from = args.From;
        bool unsigned = !_keys.ContainsKey(from) && impersonated(from);
        if (!unsigned && !_keys.ContainsKey(from)) throw new RpcException(RpcErrorCodes.ServerError, "unknown account");

        var head = _chain.Head;
        ulong gas = args.Gas ?? _calls.EstimateGas(args with { GasPrice = null, MaxFeePerGas = null, MaxPriorityFeePerGas = null }, head, null);
        var tx = new Transaction
        {
            ChainId = _chain.Config.ChainId,
            Nonce = args.Nonce ?? _chain.Pool.PendingNonce(from),
            GasLimit = gas,
            To = args.To,
            Value = args.Value,
            Data = args.Data,
            AccessList = args.AccessList,
        };
        if (args.GasPrice is { } price)
        {
            tx.Type = args.AccessList.Count > 0 ? TxType.AccessList : TxType.Legacy;
            tx.GasPrice = price;
        }
        else
        {
            tx.Type = TxType.DynamicFee;
            tx.MaxPriorityFeePerGas = args.MaxPriorityFeePerGas ?? _eth.SuggestedTip;
            tx.MaxFeePerGas = args.MaxFeePerGas ?? _chain.NextBaseFee * new UInt256(2) + tx.MaxPriorityFeePerGas;
        }
        try
        {
            if (!unsigned)
            {
                tx.Sign(_keys[from]);
                return _chain.Pool.Add(tx).Hash.ToString();
            }
            // No key: a placeholder signature that no key produced (r = the sender, s = 1) keeps the encoding well formed and the hash unique per sender.
            tx.V = UInt256.Zero;
            tx.R = UInt256.FromBigEndian(from.Bytes);
            tx.S = UInt256.One;
            return _chain.Pool.AddImpersonated(tx, from).Hash.ToString();
        }
        catch (TxPoolException e)
        {
            throw new RpcException(RpcErrorCodes.ServerError, e.Message);
        }
    }
}
