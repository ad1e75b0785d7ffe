using System.Text;
using System.Text.Json.Nodes;
using OpenLedger.Primitives;

namespace OpenLedger.AI.Provenance;

/// <summary>What `model register` needs: the adapter directory `model train` wrote, the chain, the owner's key and the listing.</summary>
public sealed record RegistrationRequest(string AdapterDirectory, string RpcUrl, Address ModelRegistry, byte[] PrivateKey, UInt256 PricePer1kTokens,
    string? BaseModel = null, string MetadataUri = "");

public sealed record RegisteredModel(ulong ModelId, Hash256 TransactionHash, Hash256 AdapterHash, Hash256 TrainingConfigHash, string BaseModel,
    IReadOnlyList<DatanetVersionRef> TrainedOn);

/// <summary>
/// Registers a LoRA adapter in ModelRegistry with its provenance: adapter hash = keccak256 of adapter_model.safetensors
/// (recomputed and compared with provenance.json, so an adapter changed after training is refused), the training-config
/// hash, and the Datanet versions with their roots, each compared with DatanetRegistry.versionRoot before sending.
/// </summary>
public static class ModelRegistration
{
    public const string AdapterFile = "adapter_model.safetensors";
    private const int MaxText = 256; // ModelRegistry.MAX_TEXT

    public static async Task<RegisteredModel> RegisterAsync(RegistrationRequest r, CancellationToken ct = default)
    {
        var (adapterHash, cfgHash, baseModel, refs) = Read(r.AdapterDirectory);
        string name = r.BaseModel ?? baseModel;
        if (name.Length == 0) throw new ArgumentException("--base: the base model name is empty");
        if (Encoding.UTF8.GetByteCount(name) > MaxText) throw new ArgumentException($"--base: '{name}' is over {MaxText} bytes");
        if (Encoding.UTF8.GetByteCount(r.MetadataUri) > MaxText) throw new ArgumentException($"--metadata-uri is over {MaxText} bytes");
        if (refs.Count > 16) throw new InvalidDataException($"provenance.json cites {refs.Count} Datanet versions; ModelRegistry takes at most 16");
        if (refs.Count > 0)
        {
            var datanets = await RegistryCalls.DatanetRegistryOfAsync(r.RpcUrl, r.ModelRegistry);
            foreach (var v in refs)
            {
                var onChain = await RegistryCalls.VersionRootAsync(new ChainEndpoint(r.RpcUrl, datanets), v.DatanetId, v.Version, ct);
                if (onChain != v.Root)
                    throw new InvalidDataException(onChain == Hash256.Zero
                        ? $"Datanet {v.DatanetId} version {v.Version} is not published on the chain (DatanetRegistry {datanets})"
                        : $"Datanet {v.DatanetId} version {v.Version}: root mismatch: provenance.json has {v.Root}, DatanetRegistry.versionRoot is {onChain}");
            }
        }
        var trainedOn = refs.Select(v => (object?)new object?[] { new UInt256(v.DatanetId), new UInt256(v.Version), v.Root.ToArray() }).ToArray();
        var calldata = RegistryCalls.RegisterModel.EncodeCall(new UInt256(1) /* Kind.LoRA */, name, r.MetadataUri, adapterHash.ToArray(), cfgHash.ToArray(), trainedOn, r.PricePer1kTokens);
        var (id, tx) = await RegistryCalls.RegisterAsync(r.RpcUrl, r.ModelRegistry, r.PrivateKey, calldata);
        return new RegisteredModel(id, tx, adapterHash, cfgHash, name, refs);
    }

    /// <summary>Reads and checks provenance.json against the adapter file next to it.</summary>
    public static (Hash256 AdapterHash, Hash256 TrainingConfigHash, string BaseModel, List<DatanetVersionRef> TrainedOn) Read(string adapterDirectory)
    {
        string provPath = Path.Combine(adapterDirectory, "provenance.json"), file = Path.Combine(adapterDirectory, AdapterFile);
        if (!Directory.Exists(adapterDirectory)) throw new DirectoryNotFoundException($"--adapter: {adapterDirectory} does not exist");
        if (!File.Exists(file)) throw new FileNotFoundException($"--adapter: {adapterDirectory} has no {AdapterFile}", file);
        if (!File.Exists(provPath)) throw new FileNotFoundException($"--adapter: {adapterDirectory} has no provenance.json (register an adapter written by `openledger model train`)", provPath);
        JsonObject prov;
        try { prov = JsonNode.Parse(File.ReadAllText(provPath)) as JsonObject ?? throw new InvalidDataException($"{provPath} is not a JSON object"); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{provPath} is not JSON: {e.Message}"); }
        var recorded = HashOf(prov, "adapterHash", provPath);
        var actual = Keccak256.Compute(File.ReadAllBytes(file));
        if (actual != recorded) throw new InvalidDataException($"{file} hashes to {actual}, provenance.json records {recorded}: the adapter changed after training");
        var cfg = HashOf(prov, "trainingConfigHash", provPath);
        string baseModel = prov["baseModel"] is JsonValue b && b.TryGetValue<string>(out var bs) ? Path.GetFileName(bs.TrimEnd('/', '\\')) : "";
        var refs = new List<DatanetVersionRef>();
        if (prov["datanetVersions"] is JsonArray arr)
            for (int i = 0; i < arr.Count; i++)
            {
                string where = $"{provPath}: datanetVersions[{i}]";
                var o = arr[i] as JsonObject ?? throw new InvalidDataException($"{where} is not an object");
                refs.Add(new DatanetVersionRef(U64(o, "datanetId", where), U64(o, "version", where), HashOf(o, "root", where)));
            }
        else if (prov["datanetVersions"] != null) throw new InvalidDataException($"{provPath}: 'datanetVersions' is not an array");
        return (actual, cfg, baseModel, refs);
    }

    private static Hash256 HashOf(JsonObject o, string key, string where) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) && Hash256.TryParse(s, out var h) ? h
            : throw new InvalidDataException($"{where}: '{key}' is missing or not a 32-byte hex hash");

    private static ulong U64(JsonObject o, string key, string where) =>
        o[key] is JsonValue v && v.TryGetValue<ulong>(out var n) ? n : throw new InvalidDataException($"{where}: '{key}' is missing or not an unsigned integer");
}
