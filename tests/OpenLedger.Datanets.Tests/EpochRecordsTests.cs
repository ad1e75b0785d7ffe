using System.Text;
using System.Text.Json.Nodes;
using OpenLedger.Attribution.Epochs;
using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Shares;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Tests;

/// <summary>
/// /api/epochs/{n}/records: an epoch's attribution records are accepted only when they reproduce the root posted on
/// the chain with AttributionRewards' split and pay the contributors and owner the registries name; served paged.
/// </summary>
[Collection(ChainCollection.Name)]
public sealed class EpochRecordsTests(ChainFixture chain)
{
    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task Records_AreAccepted_OnlyWhenTheyReproduceThePostedRoot(string db)
    {
        await using var svc = await ServiceHarness.StartAsync(chain, db);
        var reg = chain.Contracts.DatanetRegistry;

        // Two contributions (accounts 3 and 4) in a published version; a model (account 2) trained on it.
        var id = await chain.CreateDatanetAsync(1, "records-" + db, kind: 0, maxFileBytes: 500);
        await chain.ContributeAsync(3, id, Keccak256.Compute(Encoding.UTF8.GetBytes("r1 " + Guid.NewGuid())), 10);
        await chain.ContributeAsync(4, id, Keccak256.Compute(Encoding.UTF8.GetBytes("r2 " + Guid.NewGuid())), 10);
        await svc.IndexAsync();
        var ids = (await svc.GetJsonAsync($"/api/datanets/{id}/contributions")).GetProperty("items").EnumerateArray().Select(i => (ulong)i.GetProperty("id").GetInt64()).Order().ToArray();
        foreach (var cid in ids) await chain.SendAsync(1, reg, "review(uint256,bool)", [new UInt256(cid), true]);
        await svc.IndexAsync();
        var root = Hash256.Parse((await svc.GetJsonAsync($"/api/datanets/{id}/versions/draft")).GetProperty("root").GetString()!);
        await chain.SendAsync(1, reg, "publishVersion(uint256,bytes32,uint64)", [new UInt256((ulong)id), root.ToArray(), new UInt256(2)]);
        var adapter = Keccak256.Compute(Encoding.UTF8.GetBytes("adapter " + Guid.NewGuid()));
        await chain.SendAsync(2, chain.Contracts.ModelRegistry, "registerModel(uint8,string,string,bytes32,bytes32,(uint256,uint64,bytes32)[],uint128)",
            [new UInt256(1), "base/tiny", "ipfs://m", adapter.ToArray(), Keccak256.Compute("cfg"u8).ToArray(),
             new object?[] { new object?[] { new UInt256((ulong)id), UInt256.One, root.ToArray() } }, new UInt256(5)]);

        // Two records, their epoch built with the chain's split, fees deposited and the root posted (account 0 is the poster).
        var sketch = new Sketch(Enumerable.Range(0, 32).Select(i => (sbyte)(i - 16)).ToArray(), 3);
        AttributionRecord Rec(string inference, ulong fee, int firstBps) => AttributionRecord.ForSketch(adapter, Keccak256.Compute(Encoding.UTF8.GetBytes(inference)), sketch,
            new UInt256(fee), [new ContributionShare(ids[0], firstBps), new ContributionShare(ids[1], 10_000 - firstBps)]);
        var records = new[] { Rec("q1 " + db, 300_000, 7000), Rec("q2 " + db, 700_000, 2500) };
        var accounts = new EpochAccounts(new Dictionary<ulong, Address> { [ids[0]] = chain.Accounts[3].Address, [ids[1]] = chain.Accounts[4].Address },
            new Dictionary<Hash256, Address> { [adapter] = chain.Accounts[2].Address }, chain.Accounts[8].Address);
        var split = new GovernanceSplit(5000, 2500, 1500, 1000); // DeployL2's default, as the chain holds it
        var epoch = (ulong)Random.Shared.Next(1_000_000, 2_000_000);
        var built = EpochBuilder.Build(epoch, records, split, accounts);
        await chain.SendAsync(5, chain.Contracts.AttributionRewards, "depositFees(uint256)", [new UInt256(epoch)], value: 1_000_000);
        await chain.SendAsync(0, chain.Contracts.AttributionRewards, "postRoot(uint256,bytes32,uint128)", [new UInt256(epoch), built.Root.ToArray(), built.Distributable]);
        await svc.IndexAsync();

        JsonObject Body(AttributionRecord[] rs, EpochAccounts a) => new()
        {
            ["format"] = "openledger-epoch/1", ["epoch"] = epoch.ToString(),
            ["accounts"] = new JsonObject
            {
                ["contributors"] = new JsonObject(a.Contributors.Select(kv => KeyValuePair.Create(kv.Key.ToString(), (JsonNode?)kv.Value.ToString()))),
                ["modelOwners"] = new JsonObject(a.ModelOwners.Select(kv => KeyValuePair.Create(kv.Key.ToString(), (JsonNode?)kv.Value.ToString()))),
                ["stakersPool"] = a.StakersPool.ToString(),
            },
            ["records"] = new JsonArray(rs.Select(r => (JsonNode)new JsonObject
            {
                ["charge"] = new JsonObject { ["recordHash"] = r.Hash().ToString(), ["fee"] = r.Fee.ToString() }, ["record"] = AttributionRecordJson.ToJson(r),
            }).ToArray()),
        };
        async Task<(int Status, string Text)> Put(long n, JsonNode body)
        {
            using var r = await svc.Http.PutAsync($"/api/epochs/{n}/records", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            return ((int)r.StatusCode, await r.Content.ReadAsStringAsync());
        }

        // Refused: records that give another root (one share moved), naming both roots; a contributor the registry
        // does not name; a record that does not hash to its charge; no root yet; not JSON.
        var moved = new[] { records[0], Rec("q2 " + db, 700_000, 2600) };
        var (status, text) = await Put((long)epoch, Body(moved, accounts));
        Assert.Equal(409, status);
        Assert.Contains("Records do not reproduce the chain's root", text);
        Assert.Contains(built.Root.ToString(), text);
        using (var problem = await svc.Http.PutAsync($"/api/epochs/{epoch}/records", new StringContent(Body(moved, accounts).ToJsonString(), Encoding.UTF8, "application/json")))
            Assert.Equal("application/problem+json", problem.Content.Headers.ContentType!.MediaType);
        var stolen = new EpochAccounts(new Dictionary<ulong, Address> { [ids[0]] = chain.Accounts[9].Address, [ids[1]] = chain.Accounts[4].Address }, accounts.ModelOwners, accounts.StakersPool);
        (status, text) = await Put((long)epoch, Body(records, stolen));
        Assert.Equal(409, status);
        Assert.Contains($"contribution {ids[0]}", text);
        var forged = Body(records, accounts);
        forged["records"]![1]!["charge"]!["recordHash"] = records[0].Hash().ToString();
        (status, text) = await Put((long)epoch, forged);
        Assert.Equal(400, status);
        Assert.Contains("records[1]", text);
        var later = Body(records, accounts);
        later["epoch"] = (epoch + 1).ToString();
        (status, text) = await Put((long)epoch + 1, later);
        Assert.Equal(409, status);
        Assert.Contains("no posted root", text);
        using (var notJson = await svc.Http.PutAsync($"/api/epochs/{epoch}/records", new StringContent("{nope", Encoding.UTF8, "application/json")))
            Assert.Equal(400, (int)notJson.StatusCode);
        using (var none = await svc.Http.GetAsync($"/api/epochs/{epoch}/records")) Assert.Equal(404, (int)none.StatusCode);

        // Accepted, then served in pages with the split and accounts; the epoch counts them.
        (status, text) = await Put((long)epoch, Body(records, accounts));
        Assert.True(status == 204, text);
        var ep = await svc.GetJsonAsync($"/api/epochs/{epoch}");
        Assert.Equal(2, ep.GetProperty("recordCount").GetInt64());
        var page1 = await svc.GetJsonAsync($"/api/epochs/{epoch}/records?limit=1");
        Assert.Equal(built.Root.ToString(), page1.GetProperty("root").GetString());
        Assert.Equal(5000, page1.GetProperty("split").GetProperty("data").GetInt32());
        Assert.Equal(chain.Accounts[8].Address.ToLowerHex(), page1.GetProperty("accounts").GetProperty("stakersPool").GetString());
        Assert.Equal(records[0].Hash().ToString(), Assert.Single(page1.GetProperty("items").EnumerateArray()).GetProperty("record").GetProperty("hash").GetString());
        var page2 = await svc.GetJsonAsync($"/api/epochs/{epoch}/records?limit=1&cursor={page1.GetProperty("nextCursor").GetString()}");
        var second = Assert.Single(page2.GetProperty("items").EnumerateArray());
        Assert.Equal(records[1].Hash().ToString(), second.GetProperty("record").GetProperty("hash").GetString());
        Assert.Equal(records[1].Hash(), AttributionRecordJson.FromJson(JsonNode.Parse(second.GetProperty("record").GetRawText())!).Hash());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page2.GetProperty("nextCursor").ValueKind);
    }
}
