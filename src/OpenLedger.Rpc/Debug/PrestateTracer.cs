using System.Text.Json.Nodes;
using OpenLedger.Evm.Tracing;
using OpenLedger.Primitives;
using OpenLedger.State.World;

namespace OpenLedger.Rpc.Debug;

/// <summary>
/// Records every account and storage slot a transaction reads from the state beneath it, with the value it had
/// before the transaction: what geth's prestateTracer reports. The world state asks its source once per account
/// and slot, so the first answer is the pre-transaction value.
/// </summary>
public sealed class RecordingWorldSource(IWorldSource inner) : IWorldSource
{
    public Dictionary<Address, AccountInfo?> Accounts { get; } = new();
    public Dictionary<Address, Dictionary<UInt256, UInt256>> Slots { get; } = new();
    // Insertion order of first reads, so the output does not depend on dictionary order.
    public List<Address> Order { get; } = [];

    public AccountInfo? GetAccount(Address address)
    {
        var info = inner.GetAccount(address);
        if (Accounts.TryAdd(address, info)) Order.Add(address);
        return info;
    }

    public UInt256 GetStorage(Address address, in UInt256 key)
    {
        var value = inner.GetStorage(address, key);
        if (!Slots.TryGetValue(address, out var slots)) Slots[address] = slots = new();
        slots.TryAdd(key, value);
        return value;
    }

    public bool HasStorage(Address address) => inner.HasStorage(address);

    public byte[] GetCode(Hash256 codeHash) => inner.GetCode(codeHash);
}

/// <summary>
/// geth's prestateTracer. Default mode: every account the transaction touched as it was before (balance, nonce,
/// code, the storage slots it read or wrote). diffMode: `pre` and `post` for the accounts it changed only, `post`
/// holding just the changed fields; unchanged and empty slots are left out, as are accounts it created from nothing.
/// Precompiles appear only when called.
/// </summary>
public sealed class PrestateTracer(bool diffMode) : IEvmTracer
{
    private readonly HashSet<Address> _called = [];
    private readonly HashSet<Address> _created = [];

    public void OnStep(in StepInfo step) { }
    public void OnStepCost(long gasCost, string? error) { }
    public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error) { }

    public void OnEnter(string type, Address from, Address to, in UInt256 value, long gas, ReadOnlySpan<byte> input, int depth)
    {
        _called.Add(to);
        if (type is "CREATE" or "CREATE2") _created.Add(to);
    }

    /// <summary>The result, from what <paramref name="reads"/> saw and the state <paramref name="after"/> the transaction.</summary>
    public JsonObject Result(RecordingWorldSource reads, WorldState after)
    {
        var pre = new JsonObject();
        var post = new JsonObject();
        foreach (var address in reads.Order)
        {
            if (IsPrecompile(address) && !_called.Contains(address)) continue; // warmed by the rules, not touched
            var before = reads.Accounts[address];
            var slots = reads.Slots.GetValueOrDefault(address);
            var code = before is { } b && b.CodeHash != Keccak256.EmptyHash ? reads.GetCode(b.CodeHash) : [];
            var preAccount = Account(before?.Balance ?? UInt256.Zero, before?.Nonce ?? 0, code);
            if (!diffMode)
            {
                if (slots is { Count: > 0 }) preAccount["storage"] = Storage(slots, skipZero: false);
                pre[address.ToLowerHex()] = preAccount;
                continue;
            }

            bool exists = after.Exists(address);
            if (!exists)
            {
                // Destroyed (or never came to be): it appears in pre only if it was there before.
                if (before is not null) pre[address.ToLowerHex()] = WithStorage(preAccount, slots, after, address, changedOnly: true);
                continue;
            }
            var postAccount = new JsonObject();
            bool modified = false;
            var balance = after.GetBalance(address);
            if (balance != (before?.Balance ?? UInt256.Zero)) { postAccount["balance"] = balance.ToHexString(); modified = true; }
            var nonce = after.GetNonce(address);
            if (nonce != (before?.Nonce ?? 0)) { postAccount["nonce"] = nonce; modified = true; }
            var postCode = after.GetCode(address);
            if (!postCode.AsSpan().SequenceEqual(code)) { postAccount["code"] = Hex.Encode(postCode); modified = true; }
            if (slots != null)
            {
                var preStorage = new JsonObject();
                var postStorage = new JsonObject();
                foreach (var (key, old) in slots.OrderBy(kv => kv.Key))
                {
                    var now = after.GetStorage(address, key);
                    if (now == old) continue;
                    modified = true;
                    if (!old.IsZero) preStorage[Word(key)] = Word(old);
                    if (!now.IsZero) postStorage[Word(key)] = Word(now);
                }
                if (preStorage.Count > 0) preAccount["storage"] = preStorage;
                if (postStorage.Count > 0) postAccount["storage"] = postStorage;
            }
            if (!modified) continue;
            bool emptyBefore = before is null || (before.Value.Balance.IsZero && before.Value.Nonce == 0 && code.Length == 0);
            if (!(emptyBefore && _created.Contains(address))) pre[address.ToLowerHex()] = preAccount;
            post[address.ToLowerHex()] = postAccount;
        }
        return diffMode ? new JsonObject { ["post"] = post, ["pre"] = pre } : pre;
    }

    private static JsonObject WithStorage(JsonObject account, Dictionary<UInt256, UInt256>? slots, WorldState after, Address address, bool changedOnly)
    {
        if (slots is null) return account;
        var storage = new JsonObject();
        foreach (var (key, old) in slots.OrderBy(kv => kv.Key))
            if (!old.IsZero) storage[Word(key)] = Word(old);
        if (storage.Count > 0) account["storage"] = storage;
        return account;
    }

    private static JsonObject Account(UInt256 balance, ulong nonce, byte[] code)
    {
        var o = new JsonObject { ["balance"] = balance.ToHexString() };
        if (code.Length > 0) o["code"] = Hex.Encode(code);
        if (nonce != 0) o["nonce"] = nonce;
        return o;
    }

    private static JsonObject Storage(Dictionary<UInt256, UInt256> slots, bool skipZero)
    {
        var o = new JsonObject();
        foreach (var (key, value) in slots.OrderBy(kv => kv.Key))
            if (!skipZero || !value.IsZero) o[Word(key)] = Word(value);
        return o;
    }

    private static bool IsPrecompile(Address a)
    {
        var b = a.Bytes;
        for (int i = 0; i < 19; i++) if (b[i] != 0) return false;
        return b[19] is >= 1 and <= 0x11;
    }

    private static string Word(in UInt256 v) => Hex.Encode(v.ToBigEndian());
}
