using System.Collections.Concurrent;
using System.Globalization;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Serving.Adapters;

/// <summary>
/// Adapters registered in ModelRegistry on L2 (read-only, eth_call through Nethereum). A request's `model` names a
/// registry id ("7", or "model-7"); the server reads the model (kind, active flag, price, latest version) and that
/// version's adapter hash, then looks for the files in DIR/&lt;adapter hash&gt;/ or DIR/&lt;id&gt;/ and checks that
/// adapter_model.safetensors hashes to the registered value. Resolutions are cached for <see cref="Ttl"/>, so a
/// deactivation or price change is seen within that time.
/// </summary>
public sealed class RegistryAdapterCatalog : IAdapterCatalog
{
    private static readonly AbiFunction GetModel = AbiFunction.FromSignature("getModel(uint256)", "((address,uint8,bool,uint64,uint128,string,string))");
    private static readonly AbiFunction GetVersion = AbiFunction.FromSignature("getVersion(uint256,uint64)", "((bytes32,bytes32,uint64,(uint256,uint64,bytes32)[]))");
    private static readonly AbiFunction ModelCount = AbiFunction.FromSignature("modelCount()", "(uint256)");
    private const int KindLoRA = 1;

    private readonly Web3 _web3;
    private readonly string _registry;
    private readonly string _root;
    private readonly ConcurrentDictionary<ulong, (DateTime At, AdapterEntry? Entry, ServingException? Error)> _cache = new();
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(10);

    public RegistryAdapterCatalog(string rpcUrl, string registryAddress, string adaptersRoot)
    {
        if (!Uri.TryCreate(rpcUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new ArgumentException($"--registry-rpc '{rpcUrl}' is not an http(s) URL");
        if (!Address.TryParse(registryAddress, out _)) throw new ArgumentException($"--model-registry '{registryAddress}' is not a 20-byte hex address");
        _web3 = new Web3(rpcUrl);
        _registry = registryAddress;
        _root = adaptersRoot;
    }

    public static bool TryParseId(string model, out ulong id)
    {
        string s = model.StartsWith("model-", StringComparison.Ordinal) ? model[6..] : model;
        return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
    }

    public async Task<AdapterEntry> ResolveAsync(string model, CancellationToken cancellationToken)
    {
        if (!TryParseId(model, out ulong id)) throw ServingException.ModelNotFound(model, "Adapters are named by their ModelRegistry id, e.g. \"7\" or \"model-7\".");
        if (_cache.TryGetValue(id, out var hit) && DateTime.UtcNow - hit.At < Ttl)
            return hit.Entry is { } e ? e with { Name = model } : throw hit.Error!;
        AdapterEntry? entry = null; ServingException? error = null;
        try { entry = await ReadAsync(model, id, cancellationToken); }
        catch (ServingException se) when (se.Status == 404) { error = se; } // answers of the registry are cached; an unreachable registry is not
        _cache[id] = (DateTime.UtcNow, entry, error);
        return entry ?? throw error!;
    }

    private async Task<AdapterEntry> ReadAsync(string model, ulong id, CancellationToken ct)
    {
        object?[] m;
        try { m = (object?[])(await Call(GetModel, ct, new UInt256(id)))[0]!; }
        catch (Exception e) when (e is not OperationCanceledException && IsRevert(e)) { throw ServingException.ModelNotFound(model, $"ModelRegistry has no model {id}."); }
        bool active = (bool)m[2]!;
        var kind = (UInt256)m[1]!;
        ulong versions = ((UInt256)m[3]!).u0;
        var price = (UInt256)m[4]!;
        if (kind != (UInt256)(ulong)KindLoRA) throw ServingException.ModelNotFound(model, $"Model {id} is registered as a full model, not a LoRA adapter of this server's base.");
        if (!active) throw new ServingException(404, "invalid_request_error", $"The model `{model}` (ModelRegistry id {id}) has been deactivated.", "model_deactivated", "model");
        var v = (object?[])(await Call(GetVersion, ct, new UInt256(id), new UInt256(versions)))[0]!;
        var hash = new Hash256((byte[])v[0]!);
        string hex = hash.ToString();
        var dir = AdapterFiles.Find(_root, [hex, hex[2..], id.ToString(CultureInfo.InvariantCulture)])
            ?? throw ServingException.ModelNotFound(model, $"Model {id} (adapter {hex}) is registered but its files are not stored on this server.");
        var actual = AdapterFiles.HashRemembered(dir);
        if (actual != hash)
            throw new ServingException(500, "server_error", $"The stored files of model {id} hash to {actual}, not the registered adapter hash {hex}; refusing to serve them.", "adapter_hash_mismatch", "model");
        return new AdapterEntry(model, id, hash, price, dir);
    }

    public async Task<IReadOnlyList<AdapterEntry>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        ulong count = ((UInt256)(await Call(ModelCount, cancellationToken))[0]!).u0;
        var list = new List<AdapterEntry>();
        for (ulong id = 1; id <= count && list.Count < limit; id++)
        {
            try { list.Add(await ResolveAsync(id.ToString(CultureInfo.InvariantCulture), cancellationToken)); }
            catch (ServingException) { } // deactivated, not a LoRA, or not stored here: not listed
        }
        return list;
    }

    private async Task<object?[]> Call(AbiFunction f, CancellationToken ct, params object?[] args)
    {
        try
        {
            var hex = await _web3.Eth.Transactions.Call.SendRequestAsync(new CallInput { To = _registry, Data = Hex.Encode(f.EncodeCall(args)) }, BlockParameter.CreateLatest()).WaitAsync(ct);
            return f.DecodeOutput(Hex.Decode(hex ?? "0x"));
        }
        catch (Exception e) when (e is not OperationCanceledException && !IsRevert(e))
        {
            throw new ServingException(503, "server_error", $"ModelRegistry at {_registry} could not be read: {e.Message}", "registry_unavailable");
        }
    }

    private static bool IsRevert(Exception e) =>
        e is Nethereum.JsonRpc.Client.RpcResponseException r && (r.RpcError?.Message?.Contains("revert", StringComparison.OrdinalIgnoreCase) ?? false);
}
