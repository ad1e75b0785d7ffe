using System.Globalization;
using System.Text.Json;
using OpenLedger.Chain;
using OpenLedger.Chain.Dev;
using OpenLedger.Chain.TxPool;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Dev;

/// <summary>The devnet's unlocked accounts: eth_sendTransaction signs for them (the node holds their keys).</summary>
/// <param name="UnavailableReason">Set where dev mode cannot work (a rollup chain): every dev method then answers -32601 "METHOD " + this.</param>
public sealed record DevRpcOptions(IReadOnlyList<(Address Address, byte[] Key)> Accounts, string? UnavailableReason = null);

/// <summary>
/// anvil's and hardhat's dev methods, registered only on a devnet (a production node answers -32601): the clock
/// (evm_increaseTime, evm_setNextBlockTimestamp), mining (evm_mine, anvil_mine), snapshots (evm_snapshot/evm_revert:
/// the head goes back to the snapshot's block), state edits (anvil_setBalance/Code/Nonce/StorageAt: each seals one block
/// that carries the edit, so it is durable and visible at "latest" at once) and impersonation (eth_sendTransaction
/// from an impersonated account, unsigned; from a dev account, signed with its key).
/// </summary>
public sealed class DevModule
{
    /// <summary>The most blocks one anvil_mine call seals; each is a real, committed block.</summary>
    public const ulong MaxBlocksPerCall = 10_000;

    private readonly Blockchain _chain;
    private readonly DevControls _dev;
    private readonly CallExecutor _calls;
    private readonly EthRpcOptions _eth;
    private readonly Dictionary<Address, byte[]> _keys = new();
    private readonly List<Address> _accounts = [];
    private readonly Lock _impersonatedLock = new();
    private readonly List<Address> _impersonated = [];

    public DevModule(Blockchain chain, DevRpcOptions options, EthRpcOptions eth)
    {
        _chain = chain;
        _dev = chain.EnableDevMode();
        _calls = new CallExecutor(chain);
        _eth = eth;
        foreach (var (address, key) in options.Accounts)
            if (_keys.TryAdd(address, key)) _accounts.Add(address);
    }

    public void Register(RpcMethodRegistry r)
    {
        r.Add("evm_increaseTime", p =>
        {
            p.ExpectAtMost(1);
            long seconds = checked((long)U64(p.Required(0, "seconds"), 0, "seconds"));
            return _dev.IncreaseTime(seconds);
        });
        r.Add("evm_setNextBlockTimestamp", p =>
        {
            p.ExpectAtMost(1);
            SetNextTimestamp(U64(p.Required(0, "timestamp"), 0, "timestamp"));
            return null;
        });
        r.Add("evm_mine", p =>
        {
            p.ExpectAtMost(1);
            ulong blocks = 1;
            if (p.Has(0))
            {
                var e = p[0];
                if (e.ValueKind == JsonValueKind.Object)
                {
                    if (e.TryGetProperty("timestamp", out var ts) && ts.ValueKind != JsonValueKind.Null) SetNextTimestamp(U64(ts, 0, "timestamp"));
                    if (e.TryGetProperty("blocks", out var b) && b.ValueKind != JsonValueKind.Null) blocks = U64(b, 0, "blocks");
                }
                else
                {
                    SetNextTimestamp(U64(e, 0, "timestamp"));
                }
            }
            Mine(blocks, interval: null);
            return "0x0";
        });
        r.Add("anvil_mine", p =>
        {
            p.ExpectAtMost(2);
            ulong blocks = p.Has(0) ? U64(p[0], 0, "blocks") : 1;
            ulong? interval = p.Has(1) ? U64(p[1], 1, "interval") : null;
            Mine(blocks, interval);
            return null;
        });
        r.Add("evm_snapshot", p =>
        {
            p.ExpectAtMost(0);
            return RpcHex.Quantity(_dev.Snapshot(_chain.Head.Hash));
        });
        r.Add("evm_revert", p =>
        {
            p.ExpectAtMost(1);
            var id = U64(p.Required(0, "snapshot id"), 0, "snapshot id");
            if (_dev.TakeSnapshot(id) is not { } hash) return false;
            var header = _chain.Store.GetHeader(hash);
            if (header is null || _chain.Store.GetCanonicalHash(header.Number) != hash) return false; // reverted past it already
            _chain.Rewind(header);
            return true;
        });
        r.Add("anvil_setBalance", p =>
        {
            p.ExpectAtMost(2);
            Edit(new SetBalanceEdit(p.Address(0), CallArgs.ParseU256(p.Required(1, "balance"), "invalid argument 1 (balance)")));
            return null;
        });
        r.Add("anvil_setNonce", p =>
        {
            p.ExpectAtMost(2);
            Edit(new SetNonceEdit(p.Address(0), U64(p.Required(1, "nonce"), 1, "nonce")));
            return null;
        });
        r.Add("anvil_setCode", p =>
        {
            p.ExpectAtMost(2);
            var address = p.Address(0);
            var code = p.Data(1, "code");
            if (code.Length > _chain.Spec.MaxCodeSize) throw RpcException.InvalidParams($"invalid argument 1 (code): {code.Length} bytes exceed the code size limit {_chain.Spec.MaxCodeSize}");
            Edit(new SetCodeEdit(address, code));
            return null;
        });
        r.Add("anvil_setStorageAt", p =>
        {
            p.ExpectAtMost(3);
            var address = p.Address(0);
            var slot = Word(p.Required(1, "slot"), 1, "slot");
            var value = Word(p.Required(2, "value"), 2, "value");
            Edit(new SetStorageEdit(address, slot, value));
            return true;
        });
        r.Add("anvil_impersonateAccount", p =>
        {
            p.ExpectAtMost(1);
            var a = p.Address(0);
            lock (_impersonatedLock) if (!_impersonated.Contains(a)) _impersonated.Add(a);
            return null;
        });
        r.Add("anvil_stopImpersonatingAccount", p =>
        {
            p.ExpectAtMost(1);
            var a = p.Address(0);
            lock (_impersonatedLock) _impersonated.Remove(a);
            return null;
        });
        r.Add("eth_accounts", p =>
        {
            p.ExpectAtMost(0);
            lock (_impersonatedLock)
                return _accounts.Concat(_impersonated.Where(a => !_keys.ContainsKey(a))).Select(RpcFormat.A).ToArray();
        });
        r.Add("eth_sendTransaction", p =>
        {
            p.ExpectAtMost(1);
            return SendTransaction(CallArgs.Parse(p.Required(0, "transaction"), 0), p[0]);
        });
    }

    private void SetNextTimestamp(ulong timestamp)
    {
        var head = _chain.Head;
        // anvil's words for an earlier timestamp; an equal one is refused too, as a block must be later than its parent.
        if (timestamp < head.Timestamp)
            throw RpcException.InvalidParams($"Timestamp error: {timestamp} is lower than previous block's timestamp");
        if (timestamp == head.Timestamp)
            throw RpcException.InvalidParams($"Timestamp error: {timestamp} is equal to previous block's timestamp");
        _dev.SetNextTimestamp(timestamp);
    }

    private void Mine(ulong blocks, ulong? interval)
    {
        if (blocks > MaxBlocksPerCall) throw RpcException.InvalidParams($"cannot mine {blocks} blocks in one call: at most {MaxBlocksPerCall}");
        for (ulong i = 0; i < blocks; i++)
        {
            if (interval is { } step && i > 0) _dev.SetNextTimestamp(_chain.Head.Timestamp + Math.Max(step, 1));
            _chain.ProduceBlock(Now(), allowEmpty: true);
        }
    }

    private void Edit(StateEdit edit)
    {
        _dev.AddEdit(edit);
        _chain.ProduceBlock(Now(), allowEmpty: true);
    }

    /// <summary>The dev methods' names, each answering -32601 with <paramref name="reason"/> (a devnet where they cannot work).</summary>
    public static void RegisterUnavailable(RpcMethodRegistry r, string reason)
    {
        foreach (var name in Names)
            r.Add(name, (_, _) => throw new RpcException(RpcErrorCodes.MethodNotFound, $"{name} {reason}"));
    }

    public static readonly string[] Names =
    [
        "evm_increaseTime", "evm_setNextBlockTimestamp", "evm_mine", "anvil_mine", "evm_snapshot", "evm_revert", "anvil_setBalance", "anvil_setNonce",
        "anvil_setCode", "anvil_setStorageAt", "anvil_impersonateAccount", "anvil_stopImpersonatingAccount", "eth_sendTransaction",
    ];

    private static ulong Now() => (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private string SendTransaction(CallArgs args, JsonElement raw)
    {
        if (!raw.TryGetProperty("from", out var f) || f.ValueKind == JsonValueKind.Null)
            throw RpcException.InvalidParams("invalid argument 0: field from is required");
        var from = args.From;
        bool impersonated;
        lock (_impersonatedLock) impersonated = _impersonated.Contains(from);
        if (!impersonated && !_keys.ContainsKey(from)) throw new RpcException(RpcErrorCodes.ServerError, "unknown account");

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
            if (_keys.TryGetValue(from, out var key))
            {
                tx.Sign(key);
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

    /// <summary>A JSON number or a hex quantity, as anvil accepts for these methods.</summary>
    private static ulong U64(JsonElement e, int index, string name)
    {
        if (e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out var n)) return n;
        if (e.ValueKind == JsonValueKind.String && RpcHex.TryParseQuantity(e.GetString()!, out var q)) return q;
        if (e.ValueKind == JsonValueKind.String && ulong.TryParse(e.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var d)) return d;
        throw RpcException.InvalidParams($"invalid argument {index} ({name}): non-negative integer or hex quantity below 2^64 expected");
    }

    /// <summary>A storage key or value: hex of at most 32 bytes (anvil takes quantities and full words alike).</summary>
    private static UInt256 Word(JsonElement e, int index, string name)
    {
        var s = e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && s.Length is > 2 and <= 66)
        {
            var digits = s[2..];
            if (digits.Length % 2 == 1) digits = "0" + digits;
            if (Hex.TryDecode(digits, out var bytes)) return UInt256.FromBigEndian(bytes);
        }
        throw RpcException.InvalidParams($"invalid argument {index} ({name}): hex of at most 32 bytes expected");
    }
}
