using OpenLedger.Primitives;

namespace OpenLedger.Node.Devnet;

/// <summary>The L1 block a rollup devnet's L2 genesis is anchored to, and the genesis time.</summary>
public sealed record DevnetAnchor(ulong Number, Hash256 Hash, ulong GenesisTime)
{
    /// <summary>
    /// The recorded anchor of a devnet restarted on its data directory (so its genesis stays the same), or the L1's
    /// current head with genesis time max(head time, now) (L2 time never runs behind its origin), recorded atomically.
    /// </summary>
    public static async Task<DevnetAnchor> ResolveAsync(string? dataDir, string l1RpcUrl, CancellationToken ct)
    {
        var anchorFile = dataDir is { } dd ? Path.Combine(dd, "l2-anchor.json") : null;
        if (anchorFile != null && File.Exists(anchorFile))
        {
            var parts = File.ReadAllText(anchorFile).Trim().Split(' ');
            if (parts.Length == 3 && ulong.TryParse(parts[0], out var n) && Hash256.TryParse(parts[1], out var h) && ulong.TryParse(parts[2], out var t0))
                return new DevnetAnchor(n, h, t0);
        }
        Chain.Rollup.L1BlockRef head;
        try
        {
            head = await new L1.NethereumL1Source(l1RpcUrl).GetHeadAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException($"cannot read the L1 head from {l1RpcUrl}: {e.Message}", e);
        }
        var anchor = new DevnetAnchor(head.Number, head.Hash, Math.Max(head.Timestamp, (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        if (anchorFile != null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(anchorFile)!);
            File.WriteAllText(anchorFile + ".tmp", $"{anchor.Number} {anchor.Hash} {anchor.GenesisTime}");
            File.Move(anchorFile + ".tmp", anchorFile, overwrite: true);
        }
        return anchor;
    }
}
