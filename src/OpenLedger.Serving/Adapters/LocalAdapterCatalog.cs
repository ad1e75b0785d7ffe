using OpenLedger.Primitives;

namespace OpenLedger.Serving.Adapters;

/// <summary>
/// Without a registry: every subdirectory of the adapters directory holding a PEFT adapter is servable under its
/// directory name, at one local price (default 0). Nothing is checked on chain, so this is for local use.
/// </summary>
public sealed class LocalAdapterCatalog(string root, UInt256 pricePer1kTokens) : IAdapterCatalog
{
    public Task<AdapterEntry> ResolveAsync(string model, CancellationToken cancellationToken)
    {
        var dir = AdapterFiles.Find(root, [model]) ?? throw ServingException.ModelNotFound(model);
        return Task.FromResult(new AdapterEntry(model, null, AdapterFiles.HashRemembered(dir), pricePer1kTokens, dir));
    }

    public Task<IReadOnlyList<AdapterEntry>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<AdapterEntry> list = Directory.Exists(root)
            ? Directory.EnumerateDirectories(root).Where(AdapterFiles.IsAdapterDir).OrderBy(d => d, StringComparer.Ordinal).Take(limit)
                .Select(d => new AdapterEntry(Path.GetFileName(d), null, Hash256.Zero, pricePer1kTokens, d)).ToList()
            : [];
        return Task.FromResult(list);
    }
}
