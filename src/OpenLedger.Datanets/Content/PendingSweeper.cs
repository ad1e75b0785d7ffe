using Dapper;
using Microsoft.Extensions.Logging;
using OpenLedger.Datanets.Storage;
using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Content;

/// <summary>
/// Removes uploads whose contribute transaction never landed: after the timeout, an upload with no indexed contribution
/// of the same (Datanet, hash) is deleted, and its file with it when no other upload or contribution still refers to it.
/// The recheck and the deletion happen under the hash's store lock, so a concurrent upload of the same bytes is never lost.
/// </summary>
public sealed class PendingSweeper(Database db, ContentStore store, TimeSpan timeout, ILogger logger)
{
    private sealed record Pending(long DatanetId, string ContentHash);

    /// <summary>One pass; returns the number of uploads removed.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken ct = default)
    {
        var cutoff = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - (long)timeout.TotalSeconds;
        List<Pending> stale;
        await using (var c = await db.OpenAsync(ct))
            stale = (await c.QueryAsync<Pending>("""
                SELECT u.datanet_id AS DatanetId, u.content_hash AS ContentHash FROM uploads u
                WHERE u.created_at < @cutoff
                  AND NOT EXISTS (SELECT 1 FROM contributions k WHERE k.datanet_id = u.datanet_id AND k.content_hash = u.content_hash)
                """, new { cutoff })).ToList();
        int removed = 0;
        foreach (var p in stale)
        {
            var hash = Hash256.Parse(p.ContentHash);
            removed += await store.WithLockAsync(hash, async () =>
            {
                await using var c = await db.OpenAsync(ct);
                await using var tx = await c.BeginTransactionAsync(ct);
                var n = await c.ExecuteAsync("""
                    DELETE FROM uploads WHERE datanet_id = @d AND content_hash = @h AND created_at < @cutoff
                      AND NOT EXISTS (SELECT 1 FROM contributions k WHERE k.datanet_id = @d AND k.content_hash = @h)
                    """, new { d = p.DatanetId, h = p.ContentHash, cutoff }, tx);
                var stillUsed = await c.ExecuteScalarAsync<long>(
                    "SELECT (SELECT COUNT(*) FROM uploads WHERE content_hash = @h) + (SELECT COUNT(*) FROM contributions WHERE content_hash = @h)",
                    new { h = p.ContentHash }, tx);
                if (stillUsed == 0) await c.ExecuteAsync("DELETE FROM text_search WHERE content_hash = @h", new { h = p.ContentHash }, tx);
                await tx.CommitAsync(ct);
                if (stillUsed == 0) store.Delete(hash);
                return n;
            }, ct);
        }
        if (removed > 0) logger.LogInformation("datanets: removed {Count} uploads whose contribute transaction never landed", removed);
        return removed;
    }

    public async Task RunAsync(TimeSpan interval, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try { await Task.Delay(interval, ct); } catch (OperationCanceledException) { return; }
            try
            {
                await SweepOnceAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("datanets: pending sweep failed: {Message}", e.Message);
            }
        }
    }
}
