using OpenLedger.Primitives;

namespace OpenLedger.Serving.Adapters;

/// <summary>A servable adapter as the catalog resolved it.</summary>
/// <param name="Name">the `model` name clients use for it</param>
/// <param name="RegistryId">its ModelRegistry id, or null when served from a local directory without a registry</param>
/// <param name="AdapterHash">keccak256 of adapter_model.safetensors: the registered hash, checked against the files</param>
/// <param name="PricePer1kTokens">wei of OPEN per 1,000 tokens</param>
/// <param name="Directory">the local PEFT directory (adapter_config.json, adapter_model.safetensors, optional sketches.olsk)</param>
public sealed record AdapterEntry(string Name, ulong? RegistryId, Hash256 AdapterHash, UInt256 PricePer1kTokens, string Directory);

/// <summary>
/// Resolves a request's `model` to an adapter. Two implementations: <see cref="RegistryAdapterCatalog"/> (ModelRegistry
/// on L2: active flag, adapter hash, price) and <see cref="LocalAdapterCatalog"/> (the adapters directory alone).
/// </summary>
public interface IAdapterCatalog
{
    /// <summary>The adapter named <paramref name="model"/>; throws <see cref="ServingException"/> (404) when unknown or deactivated.</summary>
    Task<AdapterEntry> ResolveAsync(string model, CancellationToken cancellationToken);

    /// <summary>The adapters this server can serve now (for /v1/models), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AdapterEntry>> ListAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>Where adapters are stored locally: DIR/&lt;adapter hash&gt;/ (0x-prefixed or not) or DIR/&lt;name or registry id&gt;/.</summary>
public static class AdapterFiles
{
    public const string Weights = "adapter_model.safetensors";
    public const string Config = "adapter_config.json";
    /// <summary>A suffix index (`openledger attribution index --kind spans`) over the contributions the adapter was trained on.</summary>
    public const string SpanIndex = "spans.olsx";

    public static Hash256 Hash(string directory) => Keccak256.Compute(File.ReadAllBytes(Path.Combine(directory, Weights)));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Length, DateTime Modified, Hash256 Hash)> Hashes = new();

    /// <summary>
    /// <see cref="Hash"/>, remembered per file while its length and modification time stay the same, so resolving a
    /// request's `model` does not read and hash the weights every time. Adapters are written by rename (AtomicFile), which
    /// changes the time; the cache hashes the bytes again when it loads them (<see cref="AdapterCache"/>), so what is
    /// served always hashes to the entry's hash.
    /// </summary>
    public static Hash256 HashRemembered(string directory)
    {
        string path = Path.GetFullPath(Path.Combine(directory, Weights));
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path} does not exist", path);
        if (Hashes.TryGetValue(path, out var hit) && hit.Length == info.Length && hit.Modified == info.LastWriteTimeUtc) return hit.Hash;
        var hash = Keccak256.Compute(File.ReadAllBytes(path));
        if (Hashes.Count > 100_000) Hashes.Clear();
        Hashes[path] = (info.Length, info.LastWriteTimeUtc, hash);
        return hash;
    }

    public static bool IsAdapterDir(string directory) =>
        File.Exists(Path.Combine(directory, Weights)) && File.Exists(Path.Combine(directory, Config));

    /// <summary>The first of the candidate directory names under <paramref name="root"/> that holds an adapter.</summary>
    public static string? Find(string root, IEnumerable<string> names)
    {
        foreach (var n in names)
        {
            if (n.Length == 0 || n.Contains('/') || n.Contains('\\') || n is "." or "..") continue;
            string d = Path.Combine(root, n);
            if (IsAdapterDir(d)) return d;
        }
        return null;
    }
}
