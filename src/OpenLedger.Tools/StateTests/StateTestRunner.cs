using System.Text.Json;
using System.Text.RegularExpressions;
using OpenLedger.Evm;
using OpenLedger.Evm.Execution;
using OpenLedger.Evm.Tracing;
using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.World;

namespace OpenLedger.Tools.StateTests;

/// <summary>
/// Runs ethereum/tests GeneralStateTests files: per post entry of the chosen fork, the pre-state, one transaction
/// (the entry's data/gas/value indexes), then a comparison of the state root and logs hash, or for
/// expectException entries, that the transaction was rejected. Entries of other forks are counted as skipped.
/// </summary>
public sealed class StateTestRunner(ForkSpec spec, Regex? filter = null, TextWriter? trace = null)
{
    public ForkSpec Spec { get; } = spec;

    /// <summary>Runs every test of one file; the second value counts entries skipped for other forks.</summary>
    public (List<StateTestResult> Results, int Skipped) RunFile(string path)
    {
        var results = new List<StateTestResult>();
        int skipped = 0;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(path)); }
        catch (JsonException e)
        {
            results.Add(new StateTestResult(Path.GetFileNameWithoutExtension(path), Spec.Name, 0, false, "", "bad JSON: " + e.Message, path));
            return (results, 0);
        }
        using (doc)
        {
            foreach (var test in doc.RootElement.EnumerateObject())
            {
                if (filter != null && !filter.IsMatch(test.Name)) continue;
                foreach (var fork in test.Value.GetProperty("post").EnumerateObject())
                {
                    int count = fork.Value.GetArrayLength();
                    if (!string.Equals(fork.Name, Spec.Name, StringComparison.Ordinal)) { skipped += count; continue; }
                    int index = 0;
                    foreach (var post in fork.Value.EnumerateArray())
                        results.Add(RunEntry(test.Name, test.Value, post, index++, path));
                }
            }
        }
        return (results, skipped);
    }

    private StateTestResult RunEntry(string name, JsonElement test, JsonElement post, int index, string path)
    {
        try
        {
            return RunEntryCore(name, test, post, index, path);
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException or OverflowException or ArgumentException)
        {
            return new StateTestResult(name, Spec.Name, index, false, "", $"{e.GetType().Name}: {e.Message}", path);
        }
    }

    private StateTestResult RunEntryCore(string name, JsonElement test, JsonElement post, int index, string path)
    {
        var pre = LoadPre(test.GetProperty("pre"));
        var block = LoadBlock(test.GetProperty("env"));
        var indexes = post.GetProperty("indexes");
        int d = indexes.GetProperty("data").GetInt32(), g = indexes.GetProperty("gas").GetInt32(), v = indexes.GetProperty("value").GetInt32();
        string? expectException = post.TryGetProperty("expectException", out var ee) ? ee.GetString() : null;
        var expectedRoot = Hash256.Parse(post.GetProperty("hash").GetString()!);
        var expectedLogs = Hash256.Parse(post.GetProperty("logs").GetString()!);

        var txJson = test.GetProperty("transaction");
        var sender = Address.Parse(txJson.GetProperty("sender").GetString()!);
        var tx = TryBuildTransaction(txJson, d, g, v, out var buildError);

        var world = new WorldState(pre);
        TransactionResult result = tx == null
            ? TransactionResult.Rejected(buildError!)
            : new TransactionProcessor(Spec).Execute(world, block, tx, sender, trace == null ? null : new JsonStructLogTracer(trace));
        if (result.IsValid) pre.Apply(world.Commit());
        var root = StateRoot.Compute(pre);
        trace?.WriteLine($"{{\"stateRoot\":\"{root}\"}}");

        string? error = null;
        if (expectException != null)
        {
            if (result.IsValid) error = $"expected rejection {expectException}, but the transaction was valid";
        }
        else if (!result.IsValid) error = $"unexpected rejection {result.Rejection}";
        else if (root != expectedRoot) error = $"post state root mismatch: got {root}, want {expectedRoot}";
        else
        {
            var logs = StateRoot.LogsHash(result.Logs);
            if (logs != expectedLogs) error = $"logs hash mismatch: got {logs}, want {expectedLogs}";
        }
        return new StateTestResult(name, Spec.Name, index, error == null, root.ToString(), error, path);
    }

    private static MemoryWorldSource LoadPre(JsonElement pre)
    {
        var source = new MemoryWorldSource();
        foreach (var acc in pre.EnumerateObject())
        {
            var a = acc.Value;
            var storage = new List<KeyValuePair<UInt256, UInt256>>();
            foreach (var s in a.GetProperty("storage").EnumerateObject())
                storage.Add(new(ParseWord(s.Name), ParseWord(s.Value.GetString()!)));
            source.SetAccount(Address.Parse(acc.Name), ParseU64(a.GetProperty("nonce").GetString()!), ParseWord(a.GetProperty("balance").GetString()!),
                Hex.Decode(a.GetProperty("code").GetString()!), storage);
        }
        return source;
    }

    private static BlockContext LoadBlock(JsonElement env) => new()
    {
        Coinbase = Address.Parse(env.GetProperty("currentCoinbase").GetString()!),
        Number = ParseU64(env.GetProperty("currentNumber").GetString()!),
        Timestamp = ParseU64(env.GetProperty("currentTimestamp").GetString()!),
        GasLimit = ParseU64(env.GetProperty("currentGasLimit").GetString()!),
        BaseFee = env.TryGetProperty("currentBaseFee", out var bf) ? ParseWord(bf.GetString()!) : UInt256.Zero,
        PrevRandao = env.TryGetProperty("currentRandom", out var r) ? Word.ToHash(ParseWord(r.GetString()!)) : Hash256.Zero,
        ExcessBlobGas = env.TryGetProperty("currentExcessBlobGas", out var x) ? ParseU64(x.GetString()!) : 0,
        ChainId = UInt256.One,
        // The test filler's convention: the hash of block n is keccak256 of n written in decimal.
        BlockHashes = n => Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
    };

    /// <summary>The transaction for one (data, gas, value) choice; null with a reason when it cannot even be formed.</summary>
    private static Transaction? TryBuildTransaction(JsonElement t, int d, int g, int v, out string? error)
    {
        error = null;
        if (!TryParseWord(t.GetProperty("value")[v].GetString()!, out var value))
        {
            error = "TransactionException.RLP_INVALID_VALUE";
            return null;
        }
        var toText = t.GetProperty("to").GetString();
        var tx = new Transaction
        {
            Nonce = ParseU64(t.GetProperty("nonce").GetString()!),
            GasLimit = ParseU64(t.GetProperty("gasLimit")[g].GetString()!),
            To = string.IsNullOrEmpty(toText) ? null : Address.Parse(toText),
            Value = value,
            Data = Hex.Decode(t.GetProperty("data")[d].GetString()!),
            ChainId = 1,
        };
        bool hasAccessList = t.TryGetProperty("accessLists", out var lists) && lists.ValueKind == JsonValueKind.Array
            && d < lists.GetArrayLength() && lists[d].ValueKind == JsonValueKind.Array;
        if (hasAccessList)
        {
            var items = new List<AccessListItem>();
            foreach (var item in lists[d].EnumerateArray())
            {
                var keys = item.GetProperty("storageKeys").EnumerateArray().Select(k => Word.ToHash(ParseWord(k.GetString()!))).ToArray();
                items.Add(new AccessListItem(Address.Parse(item.GetProperty("address").GetString()!), keys));
            }
            tx.AccessList = items;
        }
        if (t.TryGetProperty("authorizationList", out var auths) && auths.ValueKind == JsonValueKind.Array)
        {
            tx.Type = TxType.SetCode;
            var list = new List<AuthorizationTuple>();
            foreach (var a in auths.EnumerateArray())
            {
                var nonce = ParseWord(a.GetProperty("nonce").GetString()!);
                var yParity = ParseWord((a.TryGetProperty("yParity", out var yp) ? yp : a.GetProperty("v")).GetString()!);
                // Out-of-range nonces and y parities cannot be encoded in a valid transaction.
                if (!nonce.IsUlong || yParity > new UInt256(255)) { error = "TransactionException.TYPE_4_INVALID_AUTHORIZATION_FORMAT"; return null; }
                list.Add(new AuthorizationTuple(ParseWord(a.GetProperty("chainId").GetString()!), Address.Parse(a.GetProperty("address").GetString()!),
                    nonce.u0, (byte)yParity.u0, ParseWord(a.GetProperty("r").GetString()!), ParseWord(a.GetProperty("s").GetString()!)));
            }
            tx.AuthorizationList = list;
        }
        else if (t.TryGetProperty("blobVersionedHashes", out var blobs))
        {
            tx.Type = TxType.Blob;
            tx.BlobVersionedHashes = blobs.EnumerateArray().Select(h => Hash256.Parse(h.GetString()!)).ToArray();
            tx.MaxFeePerBlobGas = ParseWord(t.GetProperty("maxFeePerBlobGas").GetString()!);
        }
        else if (t.TryGetProperty("maxFeePerGas", out _)) tx.Type = TxType.DynamicFee;
        else tx.Type = hasAccessList ? TxType.AccessList : TxType.Legacy;

        if (tx.HasDynamicFee)
        {
            tx.MaxFeePerGas = ParseWord(t.GetProperty("maxFeePerGas").GetString()!);
            tx.MaxPriorityFeePerGas = ParseWord(t.GetProperty("maxPriorityFeePerGas").GetString()!);
        }
        else tx.GasPrice = ParseWord(t.GetProperty("gasPrice").GetString()!);
        return tx;
    }

    internal static bool TryParseWord(string text, out UInt256 value)
    {
        if (text is "0x" or "0X" or "") { value = UInt256.Zero; return true; }
        return UInt256.TryParse(text, out value);
    }

    internal static UInt256 ParseWord(string text) =>
        TryParseWord(text, out var v) ? v : throw new FormatException($"not a 256-bit number: {text}");

    internal static ulong ParseU64(string text)
    {
        var w = ParseWord(text);
        if (!w.IsUlong) throw new OverflowException($"does not fit 64 bits: {text}");
        return w.u0;
    }
}
