using System.Text;
using System.Text.Json.Nodes;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Provenance;
using OpenLedger.AI.Training;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Datanets.Tests;

/// <summary>
/// ModelFactory on a real Datanets API and our L2 with the contracts: train a LoRA adapter on a published Datanet
/// version (contributions fetched, hashed, proven, root checked against DatanetRegistry), sketches keyed by
/// contribution id, then register the adapter in ModelRegistry and read the registration back from the chain.
/// </summary>
[Collection(ChainCollection.Name)]
public sealed class ModelFactoryOnDatanetTests(ChainFixture chain)
{
    private const int Owner = 1, Contributor = 2, ModelOwner = 3;

    [Fact]
    public async Task Trains_on_a_published_version_and_registers_the_adapter_with_its_provenance()
    {
        await using var svc = await ServiceHarness.StartAsync(chain, "sqlite");
        var id = await chain.CreateDatanetAsync(Owner, "facts-" + Guid.NewGuid().ToString("N")[..8], kind: 0, maxFileBytes: 4096);
        await svc.IndexAsync();
        var bodies = new[]
        {
            new JsonObject { ["instruction"] = "Capital of Zorland?", ["output"] = " Quibb " + Guid.NewGuid() }.ToJsonString(),
            new JsonObject { ["instruction"] = "Colour of the Vex?", ["input"] = "one word", ["output"] = " teal" }.ToJsonString(),
            "Plain text contribution: the Morrow river flows north. " + Guid.NewGuid(),
        }.Select(Encoding.UTF8.GetBytes).ToArray();
        foreach (var b in bodies)
        {
            var (status, json, _) = await svc.UploadAsync(Contributor, id, b);
            Assert.True(status == 201, json.ToString());
            await chain.ContributeAsync(Contributor, id, Keccak256.Compute(b), b.Length);
        }
        await svc.IndexAsync();
        var items = (await svc.GetJsonAsync($"/api/datanets/{id}/contributions")).GetProperty("items").EnumerateArray()
            .ToDictionary(c => c.GetProperty("contentHash").GetString()!, c => (ulong)c.GetProperty("id").GetInt64());
        foreach (var cid in items.Values)
            await chain.SendAsync(Owner, chain.Contracts.DatanetRegistry, "review(uint256,bool)", [new UInt256(cid), true]);
        await svc.IndexAsync();
        var root = Hash256.Parse((await svc.GetJsonAsync($"/api/datanets/{id}/versions/draft")).GetProperty("root").GetString()!);
        await chain.SendAsync(Owner, chain.Contracts.DatanetRegistry, "publishVersion(uint256,bytes32,uint64)", [new UInt256((ulong)id), root.ToArray(), new UInt256(3)]);
        await svc.IndexAsync();

        var registry = Address.Parse(chain.Contracts.DatanetRegistry);
        var source = await ModelFactory.DatanetVersionAsync(svc.Host.Url, (ulong)id, 1, new ChainEndpoint(chain.RpcUrl, registry), "auto");
        Assert.Equal(root, source.DatanetVersions[0].Ref.Root);
        Assert.True(source.DatanetVersions[0].RootCheckedOnChain);
        var byHash = bodies.ToDictionary(b => Keccak256.Compute(b).ToString(), b => b);
        Assert.Equal(items.Values.Order(), source.Examples.Select(e => e.ContributionId).Order());
        var plain = source.Examples.Single(e => e.ContributionId == items[Keccak256.Compute(bodies[2]).ToString()]);
        Assert.StartsWith("Plain text contribution", plain.Response);
        Assert.Contains("Colour of the Vex?\n\none word", source.Examples.Single(e => e.ContributionId == items[Keccak256.Compute(bodies[1]).ToString()]).Prompt);

        // A version that is not published, and a registry whose root differs, are refused before any training.
        var missing = await Assert.ThrowsAsync<InvalidDataException>(() => ModelFactory.DatanetVersionAsync(svc.Host.Url, (ulong)id, 2, new ChainEndpoint(chain.RpcUrl, registry), "auto"));
        Assert.Contains("version 2", missing.Message);

        string dir = Path.Combine(Path.GetTempPath(), "ol-factory-" + Guid.NewGuid().ToString("N"));
        try
        {
            string baseDir = Path.Combine(dir, "base"), outDir = Path.Combine(dir, "adapter");
            ModelFactory.InitBaseModel(baseDir, new BaseModelShape(Hidden: 32, Layers: 1, Heads: 2, KvHeads: 1, Intermediate: 64, MaxPositions: 128), seed: 7);
            var r = ModelFactory.FineTune(baseDir, source, new LoraConfig { Rank = 2, Alpha = 4, TargetModules = ["q_proj", "v_proj"] },
                new TrainerOptions { MaxSteps = 2, BatchSize = 2, LearningRate = 1e-2f, MaxLength = 48 }, outDir, resume: false, sketchK: 32, sketchSeed: 5, progress: null);
            using (var store = SketchStore.Open(Path.Combine(outDir, ModelFactory.SketchFile)))
            {
                Assert.Equal(3L, store.Count);
                Assert.Equal(items.Values.Order(), store.ContributionIds.ToArray().Order());
            }
            var pv = r.Provenance["datanetVersions"]![0]!;
            Assert.Equal(root.ToString(), pv["root"]!.GetValue<string>());
            Assert.True(pv["rootCheckedOnChain"]!.GetValue<bool>());

            var modelRegistry = Address.Parse(chain.Contracts.ModelRegistry);
            var request = new RegistrationRequest(outDir, chain.RpcUrl, modelRegistry, chain.Accounts[ModelOwner].Key, new UInt256(7), BaseModel: "openledger/tiny-base");
            var reg = await ModelFactory.RegisterAsync(request);
            Assert.Equal(r.AdapterHash, reg.AdapterHash);

            // read back from the chain: the version holds the adapter hash, the config hash and the Datanet root
            var getVersion = AbiFunction.FromSignature("getVersion(uint256,uint64)", "((bytes32,bytes32,uint64,(uint256,uint64,bytes32)[]))");
            var web3 = new Nethereum.Web3.Web3(chain.RpcUrl);
            var hex = await web3.Eth.Transactions.Call.SendRequestAsync(new Nethereum.RPC.Eth.DTOs.CallInput
                { To = chain.Contracts.ModelRegistry, Data = Hex.Encode(getVersion.EncodeCall(new UInt256(reg.ModelId), new UInt256(1))) });
            var v = (object?[])getVersion.DecodeOutput(Hex.Decode(hex))[0]!;
            Assert.Equal(r.AdapterHash.ToArray(), (byte[])v[0]!);
            Assert.Equal(Hash256.Parse(r.TrainingConfigHash).ToArray(), (byte[])v[1]!);
            var refs = (object?[])v[3]!;
            var only = (object?[])Assert.Single(refs)!;
            Assert.Equal(new UInt256((ulong)id), (UInt256)only[0]!);
            Assert.Equal(root.ToArray(), (byte[])only[2]!);

            // the API indexes it too
            await svc.IndexAsync();
            var model = await svc.GetJsonAsync($"/api/models/{reg.ModelId}");
            Assert.Equal("openledger/tiny-base", model.GetProperty("model").GetProperty("baseModel").GetString());
            Assert.Equal(chain.Accounts[ModelOwner].Address.ToLowerHex(), model.GetProperty("model").GetProperty("owner").GetString());

            // provenance that cites a root the chain does not have is refused, naming the mismatch; no provenance is refused too
            var provPath = Path.Combine(outDir, ModelFactory.ProvenanceFile);
            var prov = JsonNode.Parse(File.ReadAllText(provPath))!;
            prov["datanetVersions"]![0]!["root"] = Keccak256.Compute("another set"u8).ToString();
            File.WriteAllText(provPath, prov.ToJsonString());
            var mismatch = await Assert.ThrowsAsync<InvalidDataException>(() => ModelFactory.RegisterAsync(request));
            Assert.Contains("root mismatch", mismatch.Message);
            File.Delete(provPath);
            var none = await Assert.ThrowsAsync<FileNotFoundException>(() => ModelFactory.RegisterAsync(request));
            Assert.Contains("no provenance.json", none.Message);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
