using System.Net.Http.Json;
using System.Numerics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Datanets.Indexing;
using OpenLedger.Datanets.Storage;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Merkle;

namespace OpenLedger.Datanets.Tests;

/// <summary>The indexer on our L2: every event kind into tables; a second index from block 0 and a replay give the same tables; epochs' leaves and proofs.</summary>
[Collection(ChainCollection.Name)]
public sealed class IndexerTests(ChainFixture chain)
{
    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task IndexRebuiltFromBlockZero_GivesTheSameTables_AndEpochLeavesServeProofs(string db)
    {
        await using var svc = await ServiceHarness.StartAsync(chain, db);
        var reg = chain.Contracts.DatanetRegistry;
        var id = await chain.CreateDatanetAsync(1, "idx-" + db, kind: 0, maxFileBytes: 500, fee: 1000);
        await chain.SendAsync(1, reg, "setCurator(uint256,address,bool)", [new UInt256((ulong)id), chain.Accounts[7].Address, true]);
        await chain.SendAsync(1, reg, "updateDatanet(uint256,string,uint128,uint64)", [new UInt256((ulong)id), "ipfs://v2", new UInt256(1000), new UInt256(600)]);
        var h = Keccak256.Compute(Encoding.UTF8.GetBytes("idx " + Guid.NewGuid()));
        var receipt = await chain.ContributeAsync(3, id, h, 10, fee: 1000);
        await svc.IndexAsync();
        var cid = (await svc.GetJsonAsync($"/api/datanets/{id}/contributions")).GetProperty("items")[0].GetProperty("id").GetInt64();
        await chain.SendAsync(7, reg, "review(uint256,bool)", [new UInt256((ulong)cid), true]);
        await svc.IndexAsync();
        var root = Hash256.Parse((await svc.GetJsonAsync($"/api/datanets/{id}/versions/draft")).GetProperty("root").GetString()!);
        await chain.SendAsync(1, reg, "publishVersion(uint256,bytes32,uint64)", [new UInt256((ulong)id), root.ToArray(), new UInt256(1)]);
        await svc.IndexAsync();
        var version = (await svc.GetJsonAsync($"/api/datanets/{id}")).GetProperty("datanet").GetProperty("versions").GetInt64();

        // A model trained on that version; an epoch with fees and a posted root over two accounts.
        await chain.SendAsync(2, chain.Contracts.ModelRegistry, "registerModel(uint8,string,string,bytes32,bytes32,(uint256,uint64,bytes32)[],uint128)",
            [new UInt256(1), "base/llama-tiny", "ipfs://model", Keccak256.Compute("adapter"u8).ToArray(), Keccak256.Compute("config"u8).ToArray(),
             new object?[] { new object?[] { new UInt256((ulong)id), new UInt256((ulong)version), root.ToArray() } }, new UInt256(5)]);
        var epoch = (ulong)Random.Shared.Next(1000, 1_000_000);
        await chain.SendAsync(4, chain.Contracts.AttributionRewards, "depositFees(uint256)", [new UInt256(epoch)], value: 1_000_000);
        var leaves = new List<(Address, UInt256)> { (chain.Accounts[3].Address, new UInt256(600_000)), (chain.Accounts[8].Address, new UInt256(300_000)) };
        var tree = StandardMerkleTree.Of(leaves);
        await chain.SendAsync(0, chain.Contracts.AttributionRewards, "postRoot(uint256,bytes32,uint128)", [new UInt256(epoch), tree.Root.ToArray(), new UInt256(900_000)]);
        await svc.IndexAsync();

        var model = (await svc.GetJsonAsync("/api/models")).GetProperty("items").EnumerateArray().Last();
        Assert.Equal("base/llama-tiny", model.GetProperty("baseModel").GetString());
        var modelDetail = await svc.GetJsonAsync($"/api/models/{model.GetProperty("id").GetInt64()}");
        Assert.Contains(root.ToString(), modelDetail.GetProperty("versions")[0].GetProperty("trainedOn").GetString());

        // Leaves: wrong ones refused, right ones accepted and served with proofs.
        var wrong = new { claims = new[] { new { account = chain.Accounts[3].Address.ToLowerHex(), amount = "900000" } } };
        using (var r = await svc.Http.PutAsJsonAsync($"/api/epochs/{epoch}/leaves", wrong)) Assert.Equal(409, (int)r.StatusCode);
        var right = new { claims = leaves.Select(l => new { account = l.Item1.ToLowerHex(), amount = l.Item2.ToString() }).ToArray() };
        using (var r = await svc.Http.PutAsJsonAsync($"/api/epochs/{epoch}/leaves", right)) Assert.Equal(204, (int)r.StatusCode);
        var ep = await svc.GetJsonAsync($"/api/epochs/{epoch}");
        Assert.Equal("1000000", ep.GetProperty("fees").GetString());
        Assert.Equal(tree.Root.ToString(), ep.GetProperty("root").GetString());
        Assert.Equal(2, ep.GetProperty("leaves").GetArrayLength());
        var acct = await svc.GetJsonAsync($"/api/accounts/{chain.Accounts[3].Address}");
        var unclaimed = acct.GetProperty("unclaimed").EnumerateArray().Single(u => u.GetProperty("epoch").GetInt64() == (long)epoch);
        var proof = unclaimed.GetProperty("proof").EnumerateArray().Select(p => Hash256.Parse(p.GetString()!)).ToList();
        Assert.True(MerkleProof.Verify(proof, tree.Root, StandardMerkleTree.LeafHash(chain.Accounts[3].Address, new UInt256(600_000))));

        // The same chain indexed again from block 0 into an empty database, and the tables replayed from the events.
        var first = await TableDump.DumpAsync(svc.Host.Context.Db);
        Assert.Contains("ContributionReviewed", first);
        Assert.Contains("ModelVersionAdded", first);
        Assert.Contains("RootPosted", first);
        var dir = Path.Combine(svc.Dir, "second");
        Directory.CreateDirectory(dir);
        var (db2, _) = await TestDatabases.CreateAsync(db, dir);
        await Migrations.ApplyAsync(db2);
        var second = new ChainIndexer(db2, new RpcChainSource(chain.RpcUrl), chain.Contracts, NullLogger.Instance, maxRange: 3);
        await second.SyncOnceAsync();
        var head = (await svc.Host.Indexer.CheckpointAsync())!.Block;
        // the second indexer may have seen more blocks (none of ours): compare what both cover
        Assert.True((await second.CheckpointAsync())!.Block >= head);
        Assert.Equal(first, await TableDump.DumpAsync(db2));
        await using (var c = await db2.OpenAsync())
        await using (var tx = await c.BeginTransactionAsync())
        {
            await using (var batch = new SqlBatch(c, tx)) await Projector.RebuildAsync(batch);
            await tx.CommitAsync();
        }
        Assert.Equal(first, await TableDump.DumpAsync(db2));
        _ = receipt;
    }
}
