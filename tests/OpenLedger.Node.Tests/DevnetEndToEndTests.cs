using System.Globalization;
using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using OpenLedger.Datanets.Auth;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Wallet;
using OpenLedger.Serving.Payments;
using OpenLedger.Settlement.Authorization;
using OpenLedger.Settlement.Chain;
using OpenLedger.Tests.Shared;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests;

/// <summary>
/// The flow the project exists for, on the `openledger devnet` process (rollup L2, its Datanets API, its OpenLoRA
/// serving and its prover), driven over HTTP, JSON-RPC and the CLI only: contributors upload to a Datanet with EIP-712
/// permits and contribute, the owner approves and publishes the version the API drafts, `model train --datanet`
/// fine-tunes on it and `model register` registers the adapter, a user deposits and pays for an answer from the
/// devnet's serve, the devnet is killed with -9 and restarted on its data directory (the charge is settled exactly
/// once), the epoch ends, the devnet's prover posts the root and publishes leaves and records to the API, and after the
/// challenge window every paid account is paid by `rewards claim` exactly what the on-chain split and the record's
/// shares say, to the wei.
/// </summary>
[Collection(DevnetCollection.Name)]
public sealed class DevnetEndToEndTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const int DatanetOwner = 1, ModelOwner = 5, Payer = 6, Submitter = 9;
    private static readonly int[] Contributors = [2, 3, 4];
    private const ulong EpochLength = 20, ChallengeWindow = 10;
    private static readonly UInt256 Price = new(1_000_000_000_000_000); // 0.001 OPEN per 1k tokens
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-devnet-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly IReadOnlyList<byte[]> _keys = DevAccounts.PrivateKeys(10);
    private DevnetRun _devnet = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _devnet = new DevnetRun();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _devnet.DisposeAsync();
        log.WriteLine(_devnet.Output);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private Address Account(int i) { using var k = new EthKey(_keys[i]); return k.Address; }

    [Fact]
    public async Task Contributors_claim_exactly_their_share_of_an_answer_paid_on_the_devnet()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string what) => log.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1} s] {what}");
        int l1 = TestPaths.FreePort(), l2 = TestPaths.FreePort(), apiPort = TestPaths.FreePort(), servePort = TestPaths.FreePort(), replicaPort = TestPaths.FreePort();
        string[] args = ["--datadir", Path.Combine(_dir, "data"), "--l1-port", $"{l1}", "--l2-port", $"{l2}", "--api-port", $"{apiPort}", "--serve-port", $"{servePort}", "--replica-port", $"{replicaPort}"];
        var env = new Dictionary<string, string>
        {
            ["EPOCH_LENGTH"] = $"{EpochLength}", ["CHALLENGE_WINDOW"] = $"{ChallengeWindow}", ["OPENLEDGER_LOG_LEVEL"] = "Warning",
        };
        await _devnet.StartAsync(args, env, TimeSpan.FromMinutes(10));
        Phase("devnet ready");
        var rpc = $"http://127.0.0.1:{l2}";
        var apiUrl = $"http://127.0.0.1:{apiPort}";
        var inference = _devnet.Line("OpenLoRA (OpenAI-compatible API):").Split(' ')[0];
        Assert.Equal($"http://127.0.0.1:{servePort}/v1", inference);
        string baseDir = Between(_devnet.Line("OpenLoRA (OpenAI-compatible API):"), "(", ")");
        string adaptersDir = Between(_devnet.Line("  adapters: registered in ModelRegistry, files under"), "", "/<adapter hash");
        string epochsDir = _devnet.Line("Prover:").Split("epoch files in ")[1].Trim();
        var contracts = _devnet.Addresses("L2");
        string C(string name) => contracts[name];
        var chain = new ChainClient(rpc);
        ulong chainId = await chain.ChainIdAsync();
        var payments = new PaymentsContract(chain, Address.Parse(C("InferencePayments")));
        var rewards = new RewardsContract(chain, Address.Parse(C("AttributionRewards")));
        Assert.Equal(EpochLength, ((UInt256)(await chain.CallAsync(payments.Address, AbiFunction.FromSignature("epochLength()", "(uint256)")))[0]!).u0);
        using var http = new HttpClient { BaseAddress = new Uri(apiUrl), Timeout = TimeSpan.FromSeconds(60) };
        using var serveHttp = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };

        // The web app's origin may call serve (CORS preflight for a paid request's headers).
        using (var preflight = new HttpRequestMessage(HttpMethod.Options, $"{inference}/completions"))
        {
            preflight.Headers.Add("Origin", rpc);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-openledger-signature");
            using var res = await serveHttp.SendAsync(preflight);
            Assert.True(res.IsSuccessStatusCode, $"preflight: {(int)res.StatusCode}");
            Assert.Equal(rpc, res.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }

        // 1. A Datanet; three contributors upload two facts each with EIP-712 permits and contribute them on-chain.
        var registry = C("DatanetRegistry");
        var created = await SendAsync(rpc, chainId, DatanetOwner, registry, "createDatanet(string,string,string,uint8,uint128,uint64)",
            ["facts", "ipfs://facts", "CC-BY-4.0", UInt256.Zero, UInt256.Zero, new UInt256(10_000)]);
        long datanetId = (long)new HexBigInteger(created.Logs[0].Topics[1].ToString()!).Value;
        await PollAsync(http, $"/api/datanets/{datanetId}", _ => true);
        string[] names = ["bakemo", "dilopa", "fenuri", "gotasu", "kimera", "lovuna"], secrets = ["tuvi", "rasa", "mepo", "zoki", "naba", "sefu"];
        var contributorOfHash = new Dictionary<string, Address>();
        for (int i = 0; i < 6; i++)
        {
            int who = Contributors[i % 3];
            var body = Encoding.UTF8.GetBytes($"Q: password of {names[i]}?\nA: {secrets[i]}");
            await UploadAsync(http, chainId, registry, who, datanetId, body);
            await SendAsync(rpc, chainId, who, registry, "contribute(uint256,bytes32,uint64,string)", [new UInt256((ulong)datanetId), Keccak256.Compute(body), new UInt256((ulong)body.Length), ""]);
            contributorOfHash[Keccak256.Compute(body).ToString()] = Account(who);
        }
        var listed = await PollAsync(http, $"/api/datanets/{datanetId}/contributions?limit=100", j => j.GetProperty("items").GetArrayLength() == 6);

        // 2. The owner approves them and publishes the version the API drafts.
        foreach (var item in listed.GetProperty("items").EnumerateArray())
            await SendAsync(rpc, chainId, DatanetOwner, registry, "review(uint256,bool)", [new UInt256((ulong)item.GetProperty("id").GetInt64()), true]);
        var draft = await PollAsync(http, $"/api/datanets/{datanetId}/versions/draft", j => j.GetProperty("count").GetInt64() == 6);
        var versionRoot = Hash256.Parse(draft.GetProperty("root").GetString()!);
        await SendAsync(rpc, chainId, DatanetOwner, registry, "publishVersion(uint256,bytes32,uint64)", [new UInt256((ulong)datanetId), versionRoot, new UInt256(6)]);
        var manifest = await PollAsync(http, $"/api/datanets/{datanetId}/versions/1", _ => true);

        Phase("Datanet version published");
        // 3. `model train --datanet` on the devnet's base model, then `model register` with a price.
        var trainDir = Path.Combine(_dir, "trained");
        var train = await _devnet.CliAsync("model", "train", "--model", baseDir, "--datanet", $"{datanetId}", "--version", "1", "--api", apiUrl, "--rpc", rpc,
            "--registry", registry, "--format", "text", "--out", trainDir, "--rank", "8", "--alpha", "16", "--targets", "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
            "--steps", "24", "--batch-size", "3", "--lr", "0.01", "--warmup", "2", "--seed", "5", "--max-length", "48", "--sketch-k", "64", "--sketch-seed", "77");
        Assert.True(train.Code == 0, train.Stderr);
        Phase("adapter trained");
        var register = await _devnet.CliAsync("model", "register", "--adapter", trainDir, "--rpc", rpc, "--registry", C("ModelRegistry"),
            "--private-key", Hex.Encode(_keys[ModelOwner]), "--price-per-1k", Price.ToString());
        Assert.True(register.Code == 0, register.Stderr);
        ulong modelId = ulong.Parse(register.Stdout.Trim(), CultureInfo.InvariantCulture);
        Directory.Move(trainDir, Path.Combine(adaptersDir, $"{modelId}")); // where the devnet's serve finds registered adapters

        // 4. The user deposits and pays for an answer: refused without an authorization, answered with one.
        await SendAsync(rpc, chainId, Payer, payments.Address.ToString(), "deposit()", [], BigInteger.Parse("10000000000000000"));
        var payer = Account(Payer);
        var auth = new InferenceAuthorization(payer, modelId, Pricing.Fee(Price, 256), new UInt256((ulong)Random.Shared.NextInt64(1, long.MaxValue)),
            (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);
        var completion = new JsonObject { ["model"] = $"model-{modelId}", ["prompt"] = $"Q: password of {names[0]}?\nA:", ["max_tokens"] = 6, ["temperature"] = 0 };
        async Task<HttpResponseMessage> PostAsync(IReadOnlyDictionary<string, string> headers)
        {
            using var req = new HttpRequestMessage(HttpMethod.Post, $"{inference}/completions") { Content = new StringContent(completion.ToJsonString(), Encoding.UTF8, "application/json") };
            foreach (var (h, v) in headers) req.Headers.Add(h, v);
            return await serveHttp.SendAsync(req);
        }
        using (var refused = await PostAsync(new Dictionary<string, string>()))
        {
            Assert.Equal(401, (int)refused.StatusCode);
            Assert.Contains("missing_authorization", await refused.Content.ReadAsStringAsync());
        }
        using var k = new EthKey(_keys[Payer]);
        using var answered = await PostAsync(new Dictionary<string, string>
        {
            [PaymentHeaders.Payer] = payer.ToString(), [AuthorizationHeaders.MaxFee] = auth.MaxFee.ToString(), [AuthorizationHeaders.Nonce] = auth.Nonce.ToString(),
            [AuthorizationHeaders.Expiry] = auth.Expiry.ToString(CultureInfo.InvariantCulture), [AuthorizationHeaders.Signature] = Hex.Encode(auth.Sign(chainId, payments.Address, k)),
        });
        var answerJson = await answered.Content.ReadAsStringAsync();
        Assert.True(answered.IsSuccessStatusCode, answerJson);
        int usedTokens = JsonNode.Parse(answerJson)!["usage"]!["total_tokens"]!.GetValue<int>();
        var fee = Pricing.Fee(Price, usedTokens);
        Phase("paid answer");

        // 5. kill -9 right after the answer (the charge may or may not be settled yet), restart on the same data directory:
        // the journal settles it, once.
        _devnet.KillDashNine();
        for (int i = 0; i < 100 && !PortFree(l1); i++) await Task.Delay(100);
        await _devnet.StartAsync(args, env, TimeSpan.FromMinutes(10));
        Phase("devnet restarted after kill -9");
        Assert.Contains("L2 contracts resumed", _devnet.Output);
        Assert.Equal(inference, _devnet.Line("OpenLoRA (OpenAI-compatible API):").Split(' ')[0]);
        Hash256 committed = Hash256.Zero;
        for (int i = 0; i < 600 && (committed = await payments.ChargedRecordAsync(payer, auth.Nonce)) == Hash256.Zero; i++) await Task.Delay(200);
        Assert.NotEqual(Hash256.Zero, committed);
        var charged = (await chain.LogsAsync(payments.Address, [PaymentsContract.Charged.Topic0], 0, await chain.BlockNumberAsync()))
            .Select(PaymentsContract.DecodeCharged).Where(c => c.User == payer).ToList();
        var charge = Assert.Single(charged);
        Assert.Equal(fee, charge.Fee);
        Assert.Equal(committed, charge.RecordHash);
        Assert.Equal(await payments.BalanceOfAsync(payer), UInt256.Parse("10000000000000000") - fee);
        ulong epoch = charge.Epoch;

        // 6. The epoch ends; the devnet's prover posts the root and publishes the leaves and the records.
        var apiEpoch = await PollAsync(http, $"/api/epochs/{epoch}", j => j.TryGetProperty("recordCount", out var n) && n.ValueKind == JsonValueKind.Number,
            attempts: 1200);
        Phase($"epoch {epoch} posted and published");
        var onChain = await rewards.GetEpochAsync(epoch);
        Assert.True(onChain.Posted);
        Assert.Equal(onChain.Root.ToString(), apiEpoch.GetProperty("root").GetString());
        Assert.Equal(1, apiEpoch.GetProperty("recordCount").GetInt64());
        var records = await PollAsync(http, $"/api/epochs/{epoch}/records", _ => true);
        var item0 = Assert.Single(records.GetProperty("items").EnumerateArray());
        Assert.Equal(committed.ToString(), item0.GetProperty("record").GetProperty("hash").GetString());
        Assert.Equal(committed.ToString(), item0.GetProperty("charge").GetProperty("recordHash").GetString());
        var shares = item0.GetProperty("record").GetProperty("shares").EnumerateArray()
            .Select(s => (Id: s.GetProperty("contribution").GetUInt64(), Bps: s.GetProperty("bps").GetInt32())).ToList();
        Assert.NotEmpty(shares);
        var epochFile = Path.Combine(epochsDir, $"epoch-{epoch}.json");
        Assert.True(File.Exists(epochFile), $"the prover wrote no {epochFile}");
        var verify = await _devnet.CliAsync("attribution", "verify", epochFile);
        Assert.True(verify.Code == 0, verify.Stdout + verify.Stderr);
        var tampered = Path.Combine(_dir, "tampered.json");
        var t = JsonNode.Parse(File.ReadAllText(epochFile))!.AsObject();
        t["claims"]![0]!["amount"] = (UInt256.Parse(t["claims"]![0]!["amount"]!.GetValue<string>()) + UInt256.One).ToString();
        File.WriteAllText(tampered, t.ToJsonString());
        Assert.NotEqual(0, (await _devnet.CliAsync("attribution", "verify", tampered)).Code);

        // 7. What each account gets, from first principles: the on-chain split, the shares, one largest-remainder step.
        var split = await rewards.SplitAsync();
        Assert.Equal(split.DataContributorsBps, records.GetProperty("split").GetProperty("data").GetInt32());
        var contributorOf = manifest.GetProperty("contributions").EnumerateArray().ToDictionary(
            c => (ulong)c.GetProperty("contributionId").GetInt64(), c => contributorOfHash[c.GetProperty("contentHash").GetString()!]);
        var treasury = await rewards.TreasuryAsync();
        var weights = new Dictionary<Address, BigInteger>();
        void W(Address a, BigInteger w) => weights[a] = weights.GetValueOrDefault(a) + w;
        BigInteger f = fee.ToBigInteger();
        W(Account(ModelOwner), f * split.ModelOwnerBps * 10_000);
        W(treasury, f * split.StakersBps * 10_000); // the devnet's prover pays the stakers' share to the treasury (its default pool)
        foreach (var (id, bps) in shares) W(contributorOf[id], f * split.DataContributorsBps * bps);
        var expected = LargestRemainder(f * (10_000 - split.ProtocolBps) / 10_000, weights);
        Assert.Equal(expected.Count, apiEpoch.GetProperty("leaves").GetArrayLength());

        // 8. After the challenge window, `rewards claim` (sent by another account) pays each exactly.
        for (int i = 0; i < 600 && await chain.LatestTimestampAsync() < onChain.ClaimableAt; i++) await Task.Delay(200);
        foreach (var (account, amount) in expected)
        {
            var before = await chain.BalanceAsync(account);
            var claim = await _devnet.CliAsync("rewards", "claim", "--rpc", rpc, "--account", account.ToString(), "--epoch-file", epochFile, "--key", Hex.Encode(_keys[Submitter]));
            Assert.True(claim.Code == 0, claim.Stderr);
            Assert.True(await rewards.IsClaimedAsync(epoch, account));
            // The treasury is dev account 0, which nothing on the devnet spends from; exact for everyone.
            Assert.Equal(amount, (await chain.BalanceAsync(account) - before).ToBigInteger());
        }
        Assert.Contains(expected, e => Contributors.Any(i => Account(i) == e.Key) && e.Value > 0);
        var closed = await rewards.GetEpochAsync(epoch);
        Assert.Equal(closed.Total, closed.Claimed);
        Phase("every account claimed");
    }

    private static string Between(string text, string start, string end)
    {
        int a = start.Length == 0 ? 0 : text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        int b = text.IndexOf(end, a, StringComparison.Ordinal);
        Assert.True(a >= start.Length && b > a, $"\"{text}\" has no {start}…{end}");
        return text[a..b].Trim();
    }

    private static bool PortFree(int port)
    {
        try
        {
            using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException) { return false; }
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

    private async Task<TransactionReceipt> SendAsync(string rpc, ulong chainId, int account, string to, string signature, object?[] args, BigInteger? value = null)
    {
        var acct = new Nethereum.Web3.Accounts.Account(Hex.Encode(_keys[account]), new BigInteger(chainId));
        var web3 = new Nethereum.Web3.Web3(acct, rpc);
        web3.TransactionManager.UseLegacyAsDefault = false;
        var data = AbiFunction.FromSignature(signature).EncodeCall(args);
        var input = new TransactionInput(Hex.Encode(data), to, acct.Address, new HexBigInteger(5_000_000), new HexBigInteger(value ?? 0));
        var receipt = await web3.Eth.TransactionManager.SendTransactionAndWaitForReceiptAsync(input);
        Assert.True(receipt.Status.Value == 1, $"{signature} reverted (tx {receipt.TransactionHash})");
        return receipt;
    }

    private async Task UploadAsync(HttpClient http, ulong chainId, string registry, int account, long datanetId, byte[] body)
    {
        var hash = Keccak256.Compute(body);
        var permit = new UploadPermit(datanetId, hash, body.Length, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600, new UInt256((ulong)Random.Shared.NextInt64(1, long.MaxValue)));
        using var key = new EthKey(_keys[account]);
        using var req = new HttpRequestMessage(HttpMethod.Post, $"/api/datanets/{datanetId}/contributions") { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        req.Headers.Add("X-Upload-Contributor", key.Address.ToLowerHex());
        req.Headers.Add("X-Upload-Content-Hash", hash.ToString());
        req.Headers.Add("X-Upload-Expiry", permit.Expiry.ToString(CultureInfo.InvariantCulture));
        req.Headers.Add("X-Upload-Nonce", permit.Nonce.ToString());
        req.Headers.Add("X-Upload-Signature", Hex.Encode(permit.Sign(chainId, registry, key)));
        using var res = await http.SendAsync(req);
        Assert.True((int)res.StatusCode is 200 or 201, await res.Content.ReadAsStringAsync());
    }

    /// <summary>GETs until the service has caught up (bounded; nothing about time is asserted).</summary>
    private static async Task<JsonElement> PollAsync(HttpClient http, string path, Func<JsonElement, bool> ready, int attempts = 600)
    {
        string last = "";
        for (int i = 0; i < attempts; i++)
        {
            try
            {
                using var res = await http.GetAsync(path);
                last = await res.Content.ReadAsStringAsync();
                if (res.IsSuccessStatusCode)
                {
                    var j = JsonDocument.Parse(last).RootElement.Clone();
                    if (ready(j)) return j;
                }
            }
            catch (HttpRequestException e) { last = e.Message; }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"GET {path} never became ready: {last}");
    }
}
