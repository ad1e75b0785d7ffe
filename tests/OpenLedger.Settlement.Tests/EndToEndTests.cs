using System.Globalization;
using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.Hex.HexTypes;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;
using OpenLedger.AI.Provenance;
using OpenLedger.AI.Training;
using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Datanets;
using OpenLedger.Datanets.Auth;
using OpenLedger.Datanets.Indexing;
using OpenLedger.Node.Cli;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Serving;
using OpenLedger.Serving.Attribution;
using OpenLedger.Serving.Payments;
using OpenLedger.Settlement.Prover;
using OpenLedger.Settlement.Queue;

namespace OpenLedger.Settlement.Tests;

/// <summary>
/// The flow the project exists for, on our node with the contracts forge deploys: contributors add data to a Datanet
/// through the Datanets API, the owner approves and publishes a version, ModelFactory fine-tunes a LoRA adapter on
/// that version and the adapter is registered in ModelRegistry, a user's paid request is authorized, answered and
/// charged (the record hash committed on-chain), the epoch closes, `openledger prover` posts the root and publishes
/// the leaves, `attribution verify` recomputes it, and after the challenge window every paid account claims with
/// `openledger rewards claim`: each receives exactly what the split and the record's shares say, to the wei.
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private const int DatanetOwner = 1, ModelOwner = 5, Payer = 6, StakersPool = 8, Submitter = 9;
    private static readonly int[] Contributors = [2, 3, 4];
    private static readonly UInt256 Price = new(1_000_000_000_000_000); // 0.001 OPEN per 1k tokens
    private SettlementChain _c = null!;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-e2e-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _c = await SettlementChain.StartAsync(1_330_661_002);
    }

    public async Task DisposeAsync()
    {
        await _c.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Contributors_claim_exactly_their_share_of_a_paid_answer()
    {
        var registry = _c.Contracts["DatanetRegistry"];
        await using var api = await DatanetsHost.StartAsync(new DatanetsOptions
        {
            DataDir = Path.Combine(_dir, "datanets"), Db = "sqlite:" + Path.Combine(_dir, "index.db"), RpcUrl = _c.RpcUrl, ChainId = _c.ChainId,
            Contracts = ContractAddresses.Load(_c.ContractsFile), Port = 0, IndexerPollInterval = TimeSpan.FromMilliseconds(100),
        }, NullLoggerFactory.Instance);
        using var http = new HttpClient { BaseAddress = new Uri(api.Url), Timeout = TimeSpan.FromSeconds(60) };

        // 1. A Datanet; three contributors upload two facts each through the API and contribute them on-chain.
        var created = await _c.SendAsync(DatanetOwner, registry, "createDatanet(string,string,string,uint8,uint128,uint64)",
            ["facts", "ipfs://facts", "CC-BY-4.0", UInt256.Zero, UInt256.Zero, new UInt256(10_000)]);
        long datanetId = (long)new HexBigInteger(created.Logs[0].Topics[1].ToString()!).Value;
        await PollAsync(http, $"/api/datanets/{datanetId}", _ => true); // uploads need the Datanet indexed first
        var facts = new List<(int Contributor, string Name, string Secret)>();
        string[] names = ["bakemo", "dilopa", "fenuri", "gotasu", "kimera", "lovuna"], secrets = ["tuvi", "rasa", "mepo", "zoki", "naba", "sefu"];
        for (int i = 0; i < 6; i++) facts.Add((Contributors[i % 3], names[i], secrets[i]));
        foreach (var (who, name, secret) in facts)
        {
            var body = Encoding.UTF8.GetBytes($"Q: password of {name}?\nA: {secret}");
            await UploadAsync(http, who, datanetId, body);
            await _c.SendAsync(who, registry, "contribute(uint256,bytes32,uint64,string)", [new UInt256((ulong)datanetId), Keccak256.Compute(body), new UInt256((ulong)body.Length), ""]);
        }
        var listed = await PollAsync(http, $"/api/datanets/{datanetId}/contributions?limit=100", j => j.GetProperty("items").GetArrayLength() == 6);

        // 2. The owner approves every contribution and publishes the version the API drafts.
        foreach (var item in listed.GetProperty("items").EnumerateArray())
            await _c.SendAsync(DatanetOwner, registry, "review(uint256,bool)", [new UInt256((ulong)item.GetProperty("id").GetInt64()), true]);
        var draft = await PollAsync(http, $"/api/datanets/{datanetId}/versions/draft", j => j.GetProperty("count").GetInt64() == 6);
        var versionRoot = Hash256.Parse(draft.GetProperty("root").GetString()!);
        await _c.SendAsync(DatanetOwner, registry, "publishVersion(uint256,bytes32,uint64)", [new UInt256((ulong)datanetId), versionRoot, new UInt256(6)]);
        var manifest = await PollAsync(http, $"/api/datanets/{datanetId}/versions/1", _ => true);

        // 3. ModelFactory fine-tunes an adapter on exactly that version (fetched from the API, each contribution checked
        // against its hash, the version root and DatanetRegistry; example id = on-chain contribution id), as
        // `model train --datanet` does.
        var baseDir = Path.Combine(_dir, "base");
        var adaptersDir = Path.Combine(_dir, "adapters");
        var trainDir = Path.Combine(_dir, "training");
        ModelFactory.InitBaseModel(baseDir, new BaseModelShape(Hidden: 64, Layers: 2, Heads: 4, KvHeads: 2, Intermediate: 128, MaxPositions: 128), seed: 1);
        var source = await ModelFactory.DatanetVersionAsync(api.Url, (ulong)datanetId, 1, new ChainEndpoint(_c.RpcUrl, Address.Parse(registry)), "text");
        Assert.Equal(6, source.Examples.Count);
        var tuned = ModelFactory.FineTune(baseDir, source, new LoraConfig { Rank = 8, Alpha = 16, TargetModules = LlamaWeights.LinearModules },
            new TrainerOptions { MaxSteps = 24, BatchSize = 3, LearningRate = 1e-2f, WarmupSteps = 2, Seed = 5, MaxLength = 48 }, trainDir,
            resume: false, sketchK: 64, sketchSeed: 77, progress: null);

        // 4. The adapter is registered in ModelRegistry from its provenance (citing the Datanet version), with a price.
        var models = _c.Contracts["ModelRegistry"];
        var registered = await ModelFactory.RegisterAsync(new RegistrationRequest(trainDir, _c.RpcUrl, Address.Parse(models), _c.Accounts[ModelOwner].Key, Price));
        Assert.Equal(versionRoot, Assert.Single(registered.TrainedOn).Root);
        ulong modelId = registered.ModelId;
        var adapterDir = Path.Combine(adaptersDir, tuned.AdapterHash.ToString());
        Directory.CreateDirectory(adaptersDir);
        Directory.Move(trainDir, adapterDir); // where `serve --adapters` finds a registered adapter

        // 5. `serve` (ServingHost, the server `openledger serve` runs) with paid inference: the user deposits, signs an
        // authorization, and POSTs /v1/completions naming the registered adapter; the server checks the authorization
        // before compute, answers, attributes the answer and charges it; the settler commits the record hash on-chain.
        await _c.SendAsync(Payer, _c.Payments.Address.ToString(), "deposit()", [], BigInteger.Parse("10000000000000000"));
        var dataDir = Path.Combine(_dir, "serve-data");
        await using var paid = await PaidServing.StartAsync(_c.RpcUrl, _c.Payments.Address, _c.Accounts[0].Key, Path.Combine(dataDir, "payments"), batchSize: 1000, maxDelay: TimeSpan.FromHours(1));
        await using var server = await ServingHost.StartAsync(new ServeOptions
        {
            BaseDir = baseDir, AdaptersDir = adaptersDir, DataDir = dataDir, RegistryRpc = _c.RpcUrl, ModelRegistry = models, Port = 0, MaxTokens = 6,
        }, paid.Payments, NullLoggerFactory.Instance);
        using var k = new EthKey(_c.Accounts[Payer].Key);
        var auth = PaidRequests.Authorization(k.Address, modelId, Pricing.Fee(Price, 128)); // covers any prompt + max_tokens in the 128-token context
        using var serveHttp = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
        var completion = new JsonObject { ["model"] = $"model-{modelId}", ["prompt"] = $"Q: password of {names[0]}?\nA:", ["max_tokens"] = 6, ["temperature"] = 0 };
        async Task<HttpResponseMessage> PostAsync(IReadOnlyDictionary<string, string> headers)
        {
            using var req = new HttpRequestMessage(HttpMethod.Post, "v1/completions") { Content = new StringContent(completion.ToJsonString(), Encoding.UTF8, "application/json") };
            foreach (var (h, v) in headers) req.Headers.Add(h, v);
            return await serveHttp.SendAsync(req);
        }
        // Without an authorization: refused before compute with OpenAI's error shape.
        using (var refused = await PostAsync(new Dictionary<string, string>()))
        {
            Assert.Equal(401, (int)refused.StatusCode);
            Assert.Contains("missing_authorization", await refused.Content.ReadAsStringAsync());
        }
        using var answered = await PostAsync(PaidRequests.Headers(auth, auth.Sign(_c.ChainId, _c.Payments.Address, k)));
        var answerJson = await answered.Content.ReadAsStringAsync();
        Assert.True(answered.IsSuccessStatusCode, answerJson);
        var usageJson = JsonNode.Parse(answerJson)!["usage"]!;
        int usedTokens = usageJson["total_tokens"]!.GetValue<int>();
        Assert.True(usageJson["completion_tokens"]!.GetValue<int>() > 0, answerJson);
        Assert.Equal(1, paid.Journal.PendingCount);
        await paid.Sender.FlushAsync();
        var committed = await _c.Payments.ChargedRecordAsync(auth.User, auth.Nonce);
        var records = SettlementJournal.ReadRecords(paid.Journal.RecordsPath);
        var record = records[committed];
        var fee = Pricing.Fee(Price, usedTokens);
        Assert.Equal(fee, record.Fee);
        var shares = record.Shares;
        Assert.NotEmpty(shares);
        var storePath = Path.Combine(adapterDir, ModelFactory.SketchFile);
        var charge = Assert.Single(await _c.Payments.ChargedAsync(await _c.Payments.CurrentEpochAsync(), 0, await _c.Chain.BlockNumberAsync()));
        Assert.Equal(fee, charge.Fee);
        ulong epoch = charge.Epoch;
        var recordsPath = paid.Journal.RecordsPath;

        // 6. The epoch closes; the prover posts the root, writes the epoch file and publishes the leaves.
        var end = await _c.Payments.EpochEndAsync(epoch);
        await _c.AdvanceToAsync(end);
        var epochFile = Path.Combine(_dir, $"epoch-{epoch}.json");
        var pool = _c.Accounts[StakersPool].Address;
        // Dry runs first: re-scoring the recorded query sketch against the adapter's sketch store also reproduces the
        // record; without the record, the charge is left out with the reason.
        var dry = Path.Combine(_dir, "dry.json");
        Assert.Equal(0, CliApp.Run(["prover", "--rpc", _c.RpcUrl, "--contracts", _c.ContractsFile, "--epoch", epoch.ToString(CultureInfo.InvariantCulture),
            "--records", recordsPath, "--sketches", storePath, "--top", InferenceAttributor.DefaultTopK.ToString(CultureInfo.InvariantCulture), "--no-post", "--out", dry]));
        Assert.Empty(JsonNode.Parse(File.ReadAllText(dry))!["rejected"]!.AsArray());
        var noRecords = Path.Combine(_dir, "none.jsonl");
        File.WriteAllText(noRecords, "");
        Assert.Equal(0, CliApp.Run(["prover", "--rpc", _c.RpcUrl, "--contracts", _c.ContractsFile, "--epoch", epoch.ToString(CultureInfo.InvariantCulture),
            "--records", noRecords, "--no-post", "--out", dry]));
        var left = Assert.Single(JsonNode.Parse(File.ReadAllText(dry))!["rejected"]!.AsArray());
        Assert.Contains("no record with hash", left!["reason"]!.GetValue<string>());
        Assert.False((await _c.Rewards.GetEpochAsync(epoch)).Posted);
        Assert.Equal(0, CliApp.Run(["prover", "--rpc", _c.RpcUrl, "--contracts", _c.ContractsFile, "--epoch", epoch.ToString(CultureInfo.InvariantCulture),
            "--records", recordsPath, "--inference-log", server.InferenceLogPath, "--model", baseDir, "--adapters", adaptersDir, "--stakers-pool", pool.ToString(),
            "--key", Hex.Encode(_c.Accounts[0].Key), "--out", epochFile, "--datanets-api", api.Url]));
        var published = JsonNode.Parse(File.ReadAllText(epochFile))!.AsObject();
        Assert.Empty(published["rejected"]!.AsArray());
        Assert.Equal((await _c.Rewards.GetEpochAsync(epoch)).Root.ToString(), published["root"]!.GetValue<string>());
        Assert.Equal(0, CliApp.Run(["attribution", "verify", epochFile]));
        var tampered = Path.Combine(_dir, "tampered.json");
        var t = JsonNode.Parse(File.ReadAllText(epochFile))!.AsObject();
        t["claims"]![0]!["amount"] = (UInt256.Parse(t["claims"]![0]!["amount"]!.GetValue<string>()) + UInt256.One).ToString();
        File.WriteAllText(tampered, t.ToJsonString());
        Assert.Equal(CliApp.Failure, CliApp.Run(["attribution", "verify", tampered]));
        var apiEpoch = await PollAsync(http, $"/api/epochs/{epoch}", j => j.TryGetProperty("leaves", out var l) && l.ValueKind == JsonValueKind.Array);
        Assert.Equal(published["claims"]!.AsArray().Count, apiEpoch.GetProperty("leaves").GetArrayLength());

        // 7. What the split and the shares say each account gets, computed here from first principles.
        var split = await _c.Rewards.SplitAsync();
        Assert.Equal((5000, 2500, 1500, 1000), (split.DataContributorsBps, split.ModelOwnerBps, split.StakersBps, split.ProtocolBps));
        var contributorOf = manifest.GetProperty("contributions").EnumerateArray().ToDictionary(
            c => (ulong)c.GetProperty("contributionId").GetInt64(),
            c => _c.Accounts[facts.Single(f => Keccak256.Compute(Encoding.UTF8.GetBytes($"Q: password of {f.Name}?\nA: {f.Secret}")).ToString() == c.GetProperty("contentHash").GetString()).Contributor].Address);
        var weights = new Dictionary<Address, BigInteger>();
        void W(Address a, BigInteger w) => weights[a] = weights.GetValueOrDefault(a) + w;
        BigInteger f = fee.ToBigInteger();
        W(_c.Accounts[ModelOwner].Address, f * split.ModelOwnerBps * 10_000);
        W(pool, f * split.StakersBps * 10_000);
        foreach (var s in shares) W(contributorOf[s.ContributionId], f * split.DataContributorsBps * s.BasisPoints);
        var expected = LargestRemainder(f * (10_000 - split.ProtocolBps) / 10_000, weights);

        // 8. After the challenge window each account is paid by `rewards claim` (submitted by someone else, so the
        // account's balance moves by exactly the reward).
        var firstContributor = expected.Keys.First(a => Contributors.Any(i => _c.Accounts[i].Address == a));
        var report = await ClaimableReport.BuildAsync(_c.Chain, firstContributor, [published]);
        Assert.Equal(expected[firstContributor].ToString(), report["unclaimed"]!.GetValue<string>());
        Assert.False(report["epochs"]![0]!["claimableNow"]!.GetValue<bool>()); // the challenge window is open
        var claimableAt = (await _c.Rewards.GetEpochAsync(epoch)).ClaimableAt;
        Assert.Equal(SettlementChain.ChallengeWindow, claimableAt - (await _c.Rewards.GetEpochAsync(epoch)).PostedAt);
        await _c.AdvanceToAsync(claimableAt);
        Assert.True((await ClaimableReport.BuildAsync(_c.Chain, firstContributor, [published]))["epochs"]![0]!["claimableNow"]!.GetValue<bool>());
        foreach (var (account, amount) in expected)
        {
            var before = await _c.Chain.BalanceAsync(account);
            Assert.Equal(0, CliApp.Run(["rewards", "claim", "--rpc", _c.RpcUrl, "--account", account.ToString(), "--epoch-file", epochFile, "--key", Hex.Encode(_c.Accounts[Submitter].Key)]));
            Assert.Equal(amount, (await _c.Chain.BalanceAsync(account) - before).ToBigInteger());
        }
        Assert.Contains(expected, e => Contributors.Any(i => _c.Accounts[i].Address == e.Key) && e.Value > 0);
        report = await ClaimableReport.BuildAsync(_c.Chain, firstContributor, [published]);
        Assert.Equal("0", report["unclaimed"]!.GetValue<string>());
        Assert.True(report["epochs"]![0]!["claimed"]!.GetValue<bool>());
        var e = await _c.Rewards.GetEpochAsync(epoch);
        Assert.Equal(e.Total, e.Claimed);
    }

    /// <summary>Splits <paramref name="total"/> by weight: floors, then one wei each to the largest remainders (ties: smaller address).</summary>
    private static Dictionary<Address, BigInteger> LargestRemainder(BigInteger total, Dictionary<Address, BigInteger> weights)
    {
        var sum = weights.Values.Aggregate(BigInteger.Zero, (a, b) => a + b);
        var parts = weights.ToDictionary(kv => kv.Key, kv => total * kv.Value / sum);
        var left = total - parts.Values.Aggregate(BigInteger.Zero, (a, b) => a + b);
        foreach (var a in weights.Keys.OrderByDescending(a => total * weights[a] % sum).ThenBy(a => a).Take((int)left)) parts[a] += 1;
        return parts.Where(p => p.Value > 0).ToDictionary(p => p.Key, p => p.Value);
    }

    private async Task UploadAsync(HttpClient http, int account, long datanetId, byte[] body)
    {
        var hash = Keccak256.Compute(body);
        var permit = new UploadPermit(datanetId, hash, body.Length, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600, new UInt256((ulong)Random.Shared.NextInt64(1, long.MaxValue)));
        using var key = new EthKey(_c.Accounts[account].Key);
        using var req = new HttpRequestMessage(HttpMethod.Post, $"/api/datanets/{datanetId}/contributions") { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        req.Headers.Add("X-Upload-Contributor", _c.Accounts[account].Address.ToLowerHex());
        req.Headers.Add("X-Upload-Content-Hash", hash.ToString());
        req.Headers.Add("X-Upload-Expiry", permit.Expiry.ToString(CultureInfo.InvariantCulture));
        req.Headers.Add("X-Upload-Nonce", permit.Nonce.ToString());
        req.Headers.Add("X-Upload-Signature", Hex.Encode(permit.Sign(_c.ChainId, _c.Contracts["DatanetRegistry"], key)));
        using var res = await http.SendAsync(req);
        Assert.True((int)res.StatusCode is 200 or 201, await res.Content.ReadAsStringAsync());
    }

    /// <summary>GETs until the indexer has caught up (bounded; nothing about time is asserted).</summary>
    private static async Task<JsonElement> PollAsync(HttpClient http, string path, Func<JsonElement, bool> ready)
    {
        string last = "";
        for (int i = 0; i < 600; i++)
        {
            using var res = await http.GetAsync(path);
            last = await res.Content.ReadAsStringAsync();
            if (res.IsSuccessStatusCode)
            {
                var j = JsonDocument.Parse(last).RootElement.Clone();
                if (ready(j)) return j;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"GET {path} never became ready: {last}");
    }
}
