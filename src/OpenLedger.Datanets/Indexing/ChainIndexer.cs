using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using OpenLedger.Datanets.Storage;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Datanets.Indexing;

/// <summary>
/// Follows the L2 from the stored checkpoint: reads the three contracts' logs in block ranges, stores them in
/// <c>chain_events</c> and applies them to the query tables, committing events, tables and the checkpoint in one
/// transaction per range (a kill -9 resumes at the last committed range). Before each round it checks that the
/// checkpoint block is still on the chain; if a reorg replaced it, it finds the newest stored block that still is,
/// drops everything after it, rebuilds the tables from the remaining events and re-indexes forward.
/// </summary>
public sealed class ChainIndexer(Database db, IChainSource chain, ContractAddresses contracts, ILogger logger, int maxRange = 2000)
{
    private int _range = maxRange;

    public sealed record Checkpoint(long Block, string Hash);

    public async Task<Checkpoint?> CheckpointAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await ReadCheckpointAsync(c, null);
    }

    /// <summary>Indexes up to the current head; returns the number of events stored.</summary>
    public async Task<int> SyncOnceAsync(CancellationToken ct = default)
    {
        var head = await chain.HeadAsync(ct);
        Checkpoint? cp;
        await using (var c = await db.OpenAsync(ct)) cp = await ReadCheckpointAsync(c, null);
        if (cp != null)
        {
            var onChain = cp.Block <= head ? await chain.BlockHashAsync(cp.Block, ct) : null;
            if (onChain != cp.Hash)
            {
                cp = await RollBackAsync(cp, ct);
            }
        }
        long from = (cp?.Block ?? -1) + 1;
        int stored = 0;
        while (from <= head && !ct.IsCancellationRequested)
        {
            long to = Math.Min(head, from + _range - 1);
            IReadOnlyList<RawLog> logs;
            string? toHash;
            try
            {
                toHash = await chain.BlockHashAsync(to, ct);
                logs = await chain.LogsAsync(from, to, contracts.All, ct);
            }
            catch (Exception e) when (IsRangeLimit(e) && _range > 1)
            {
                _range = Math.Max(1, _range / 2);
                logger.LogInformation("indexer: eth_getLogs refused {From}..{To} ({Message}); range now {Range} blocks", from, to, e.Message, _range);
                continue;
            }
            if (toHash == null) break; // head moved back under us: the next round checks for a reorg
            if (logs.Any(l => l.BlockNumber == to && l.BlockHash != toHash)) break; // block replaced while reading
            stored += await StoreAsync(logs, to, toHash, ct);
            from = to + 1;
        }
        return stored;
    }

    /// <summary>Polls until cancelled; failures (node down, bad answers) are logged and retried.</summary>
    public async Task RunAsync(TimeSpan pollInterval, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await SyncOnceAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("indexer: {Message}; retrying", e.Message);
            }
            try { await Task.Delay(pollInterval, ct); } catch (OperationCanceledException) { return; }
        }
    }

    private async Task<int> StoreAsync(IReadOnlyList<RawLog> logs, long to, string toHash, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await using var batch = new SqlBatch(c, tx);
        int stored = 0;
        var blocks = new Dictionary<long, string>();
        foreach (var log in logs)
        {
            (string Name, string ArgsJson)? decoded;
            try
            {
                decoded = RegistryEvents.TryDecode(log.Topics, log.Data);
            }
            catch (AbiException e)
            {
                logger.LogWarning("indexer: skipping undecodable log {Block}/{Index} of {Address}: {Message}", log.BlockNumber, log.LogIndex, log.Address, e.Message);
                continue;
            }
            if (decoded is not { } d) continue;
            var ev = new ChainEvent(log.BlockNumber, log.LogIndex, log.BlockHash, log.TxHash, d.Name, d.ArgsJson);
            await batch.ExecuteAsync("INSERT INTO chain_events (block_number, log_index, block_hash, tx_hash, name, args) VALUES (@BlockNumber, @LogIndex, @BlockHash, @TxHash, @Name, @Args)", ev, ct);
            await Projector.ApplyAsync(batch, ev);
            blocks[log.BlockNumber] = log.BlockHash;
            stored++;
        }
        blocks[to] = toHash;
        foreach (var (n, h) in blocks)
            await batch.ExecuteAsync("INSERT INTO indexed_blocks (number, hash) VALUES (@n, @h) ON CONFLICT (number) DO UPDATE SET hash = excluded.hash", new { n, h }, ct);
        await batch.FlushAsync(ct);
        // A range end without events is only needed while it is the checkpoint.
        var prev = await ReadCheckpointAsync(c, tx);
        if (prev != null && prev.Block != to)
            await c.ExecuteAsync("DELETE FROM indexed_blocks WHERE number = @p AND NOT EXISTS (SELECT 1 FROM chain_events e WHERE e.block_number = @p)", new { p = prev.Block }, tx);
        await WriteCheckpointAsync(c, tx, new Checkpoint(to, toHash));
        await tx.CommitAsync(ct);
        return stored;
    }

    private async Task<Checkpoint?> RollBackAsync(Checkpoint cp, CancellationToken ct)
    {
        Checkpoint? fork = null;
        List<Checkpoint> known;
        await using (var c = await db.OpenAsync(ct))
            known = (await c.QueryAsync<Checkpoint>("SELECT number AS Block, hash AS Hash FROM indexed_blocks WHERE number <= @b ORDER BY number DESC", new { b = cp.Block })).ToList();
        foreach (var k in known)
            if (await chain.BlockHashAsync(k.Block, ct) == k.Hash) { fork = k; break; }

        await using (var c = await db.OpenAsync(ct))
        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            var keep = fork?.Block ?? -1;
            var dropped = await c.ExecuteAsync("DELETE FROM chain_events WHERE block_number > @keep", new { keep }, tx);
            await c.ExecuteAsync("DELETE FROM indexed_blocks WHERE number > @keep", new { keep }, tx);
            await using (var batch = new SqlBatch(c, tx)) await Projector.RebuildAsync(batch);
            if (fork == null) await c.ExecuteAsync("DELETE FROM indexer_state", transaction: tx);
            else await WriteCheckpointAsync(c, tx, fork);
            await tx.CommitAsync(ct);
            logger.LogWarning("indexer: block {Block} {Hash} is no longer on the chain (reorg); rolled back to {Keep}, dropped {Dropped} events", cp.Block, cp.Hash, keep, dropped);
        }
        return fork;
    }

    private static async Task<Checkpoint?> ReadCheckpointAsync(DbConnection c, DbTransaction? tx)
    {
        return await c.QueryFirstOrDefaultAsync<Checkpoint>("SELECT last_block AS Block, last_hash AS Hash FROM indexer_state WHERE id = 1", transaction: tx);
    }

    private static Task WriteCheckpointAsync(DbConnection c, DbTransaction tx, Checkpoint cp) =>
        c.ExecuteAsync("""
            INSERT INTO indexer_state (id, last_block, last_hash) VALUES (1, @Block, @Hash)
            ON CONFLICT (id) DO UPDATE SET last_block = excluded.last_block, last_hash = excluded.last_hash
            """, cp, tx);

    private static bool IsRangeLimit(Exception e) =>
        e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("too many", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("range", StringComparison.OrdinalIgnoreCase);
}
