using System.Text.Json;
using OpenLedger.Chain;
using OpenLedger.Chain.Dev;
using OpenLedger.Primitives;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Dev;

/// <summary>The devnet's unlocked accounts: eth_sendTransaction signs for them (the node holds their keys).</summary>
/// <param name="UnavailableReason">Set where dev mode cannot work (a rollup chain): every dev method then answers -32601 "METHOD " + this.</param>
public sealed record DevRpcOptions(IReadOnlyList<(Address Address, byte[] Key)> Accounts, string? UnavailableReason = null)
{
    /// <summary>Set on a rollup devnet's sequencer: the dev methods a replica can follow (time travel, dev-account transactions; see <see cref="RollupDevModule"/>).</summary>
    public RollupDevOptions? Rollup { get; init; }
}

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
    private readonly DevTransactionSender _sender;
    private readonly Lock _impersonatedLock = new();
    private readonly List<Address> _impersonated = [];

    public DevModule(Blockchain chain, DevRpcOptions options, EthRpcOptions eth)
    {
        _chain = chain;
        _dev = chain.EnableDevMode();
        _sender = new DevTransactionSender(chain, eth, options.Accounts);
    }

    public void Register(RpcMethodRegistry r)
    {
        r.Add("evm_increaseTime", p =>
        {
            p.ExpectAtMost(1);
            long seconds = checked((long)DevParams.U64(p.Required(0, "seconds"), 0, "seconds"));
            return _dev.IncreaseTime(seconds);
        });
        r.Add("evm_setNextBlockTimestamp", p =>
        {
            p.ExpectAtMost(1);
            SetNextTimestamp(DevParams.U64(p.Required(0, "timestamp"), 0, "timestamp"));
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
                    if (e.TryGetProperty("timestamp", out var ts) && ts.ValueKind != JsonValueKind.Null) SetNextTimestamp(DevParams.U64(ts, 0, "timestamp"));
                    if (e.TryGetProperty("blocks", out var b) && b.ValueKind != JsonValueKind.Null) blocks = DevParams.U64(b, 0, "blocks");
                }
                else
                {
                    SetNextTimestamp(DevParams.U64(e, 0, "timestamp"));
                }
            }
            Mine(blocks, interval: null);
            return "0x0";
        });
        r.Add("anvil_mine", p =>
        {
            p.ExpectAtMost(2);
            ulong blocks = p.Has(0) ? DevParams.U64(p[0], 0, "blocks") : 1;
            ulong? interval = p.Has(1) ? DevParams.U64(p[1], 1, "interval") : null;
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
            var id = DevParams.U64(p.Required(0, "snapshot id"), 0, "snapshot id");
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
            Edit(new SetNonceEdit(p.Address(0), DevParams.U64(p.Required(1, "nonce"), 1, "nonce")));
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
            var slot = DevParams.Word(p.Required(1, "slot"), 1, "slot");
            var value = DevParams.Word(p.Required(2, "value"), 2, "value");
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
                return _sender.Accounts.Concat(_impersonated.Where(a => !_sender.HasKey(a))).Select(RpcFormat.A).ToArray();
        });
        r.Add("eth_sendTransaction", p =>
        {
            p.ExpectAtMost(1);
            return _sender.Send(CallArgs.Parse(p.Required(0, "transaction"), 0), p[0], a => { lock (_impersonatedLock) return _impersonated.Contains(a); });
        });
    }

    private void SetNextTimestamp(ulong timestamp)
    {
        // anvil's words for an earlier timestamp; an equal one is refused too, as a block must be later than its parent.
        DevParams.CheckAfterHead(timestamp, _chain.Head.Timestamp);
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
}
