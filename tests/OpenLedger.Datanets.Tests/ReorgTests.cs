using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Datanets.Indexing;
using OpenLedger.Datanets.Storage;
using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Tests;

/// <summary>
/// A reorg seen by the indexer: on anvil, blocks it indexed are replaced (evm_revert to a snapshot, then other
/// transactions and more blocks). The indexer notices its checkpoint is gone, rolls back to the fork point, re-indexes,
/// and ends with the tables a fresh index of the new chain has. On both databases.
/// </summary>
public sealed class ReorgTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task ReplacedBlocks_AreRolledBack_AndReindexed(string db)
    {
        await using var anvil = await AnvilChain.StartAsync(db == "sqlite" ? 31_341UL : 31_342UL);
        var dir = Path.Combine(Path.GetTempPath(), "ol-reorg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var (database, _) = await TestDatabases.CreateAsync(db, dir);
            await Migrations.ApplyAsync(database);
            var indexer = new ChainIndexer(database, new RpcChainSource(anvil.RpcUrl), anvil.Contracts, NullLogger.Instance);
            var id = await anvil.CreateDatanetAsync(1, "reorg", kind: 0, maxFileBytes: 100);
            var snapshot = (await anvil.RpcAsync("evm_snapshot")).GetString()!;
            var lost = Keccak256.Compute(Encoding.UTF8.GetBytes("lost to the reorg"));
            await anvil.ContributeAsync(2, id, lost, 17);
            await indexer.SyncOnceAsync();
            Assert.Contains(lost.ToString(), await TableDump.DumpAsync(database));
            var before = (await indexer.CheckpointAsync())!;

            await anvil.RpcAsync("evm_revert", snapshot);
            var kept = Keccak256.Compute(Encoding.UTF8.GetBytes("on the new chain"));
            await anvil.ContributeAsync(3, id, kept, 16);
            await anvil.RpcAsync("anvil_mine", "0x3");
            Assert.NotEqual(before.Hash, (await anvil.RpcAsync("eth_getBlockByNumber", "0x" + before.Block.ToString("x"), false)).GetProperty("hash").GetString());

            await indexer.SyncOnceAsync();
            var after = await TableDump.DumpAsync(database);
            Assert.DoesNotContain(lost.ToString(), after);
            Assert.Contains(kept.ToString(), after);

            // Same tables as an index built from scratch on the new chain.
            var freshDir = Path.Combine(dir, "fresh");
            Directory.CreateDirectory(freshDir);
            var (fresh, _) = await TestDatabases.CreateAsync(db, freshDir);
            await Migrations.ApplyAsync(fresh);
            await new ChainIndexer(fresh, new RpcChainSource(anvil.RpcUrl), anvil.Contracts, NullLogger.Instance).SyncOnceAsync();
            Assert.Equal(await TableDump.DumpAsync(fresh), after);
            Assert.Equal((await indexer.CheckpointAsync())!.Hash, (await anvil.RpcAsync("eth_getBlockByNumber", "latest", false)).GetProperty("hash").GetString());
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
