using System.Diagnostics;
using OpenLedger.Serving.Adapters;
using OpenLedger.Serving.Payments;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Serving.Tests;

/// <summary>Adapters resolved through a real ModelRegistry on anvil, deployed and driven with forge and cast.</summary>
public class RegistryTests(ServerFixture shared) : IClassFixture<ServerFixture>
{
    private const string Key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"; // anvil account 0
    private const string Owner = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    [Fact]
    public async Task Registered_adapters_are_served_by_id_at_their_price_and_refused_once_deactivated()
    {
        int port = TestPaths.FreePort();
        using var anvil = Process.Start(new ProcessStartInfo(TestPaths.FoundryTool("anvil"), $"--host 127.0.0.1 --port {port} --silent") { UseShellExecute = false, RedirectStandardOutput = true })!;
        try
        {
            string rpc = $"http://127.0.0.1:{port}";
            await WaitForRpc(rpc);
            string datanets = Deploy(rpc, "contracts/src/l2/DatanetRegistry.sol:DatanetRegistry", "constructor(address)", Owner);
            string registry = Deploy(rpc, "contracts/src/l2/ModelRegistry.sol:ModelRegistry", "constructor(address,address)", Owner, datanets);

            // adapter files stored under their hash; model 2 is registered but not stored here
            string adapters = TinyServing.TempDir();
            var hash = AdapterFiles.Hash(shared.Adapters.RandomDir);
            CopyDir(shared.Adapters.RandomDir, Path.Combine(adapters, hash.ToString()));
            const string sig = "registerModel(uint8,string,string,bytes32,bytes32,(uint256,uint64,bytes32)[],uint128)";
            Cast(rpc, "send", registry, sig, "1", "tiny-base", "", hash.ToString(), "0x" + new string('1', 64), "[]", "5000");
            Cast(rpc, "send", registry, sig, "1", "tiny-base", "", "0x" + new string('d', 64), "0x" + new string('1', 64), "[]", "7");

            var options = shared.Adapters.Options() with { AdaptersDir = adapters, RegistryRpc = rpc, ModelRegistry = registry, RegistryCacheTtl = TimeSpan.Zero };
            await using var host = await ServingHost.StartAsync(options, new FreeInferencePayments());
            var client = new ServerFixture.Client(new HttpClient { BaseAddress = host.Address });

            var (status, body, _) = await client.Post("/v1/completions", new { model = "model-1", prompt = "Hello", max_tokens = 4, temperature = 0 });
            Assert.Equal(200, status);
            var ext = body["openledger"]!;
            Assert.Equal(1, (int)ext["registry_id"]!);
            Assert.Equal(hash.ToString(), (string?)ext["adapter_hash"]);
            Assert.Equal("5000", (string?)ext["price_per_1k_tokens"]);
            Assert.Equal((5000 * (int)body["usage"]!["total_tokens"]! / 1000).ToString(), (string?)ext["fee"]);

            var models = System.Text.Json.Nodes.JsonNode.Parse(await client.Http.GetStringAsync("/v1/models"))!["data"]!.AsArray().Select(m => (string)m!["id"]!).ToList();
            Assert.Equal(["tiny-base", "1"], models);

            var (s2, e2, _) = await client.Post("/v1/completions", new { model = "2", prompt = "Hello" });
            Assert.Equal(404, s2);
            Assert.Contains("not stored on this server", (string?)e2["error"]!["message"]);
            var (s3, e3, _) = await client.Post("/v1/completions", new { model = "99", prompt = "Hello" });
            Assert.Equal(404, s3);
            Assert.Equal("model_not_found", (string?)e3["error"]!["code"]);

            Cast(rpc, "send", registry, "deactivate(uint256)", "1");
            var (s4, e4, _) = await client.Post("/v1/completions", new { model = "1", prompt = "Hello" });
            Assert.Equal(404, s4);
            Assert.Equal("model_deactivated", (string?)e4["error"]!["code"]);
            var (s5, _, _) = await client.Post("/v1/completions", new { model = "tiny-base", prompt = "Hello", max_tokens = 2 });
            Assert.Equal(200, s5);
        }
        finally
        {
            anvil.Kill(entireProcessTree: true);
            anvil.WaitForExit();
        }
    }

    private static async Task WaitForRpc(string rpc)
    {
        using var http = new HttpClient();
        for (int i = 0; ; i++)
        {
            try
            {
                var r = await http.PostAsync(rpc, new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}", System.Text.Encoding.UTF8, "application/json"));
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (i < 300) { }
            await Task.Delay(100);
        }
    }

    /// <summary>Deploys from the forge artifact (ForgeBuild retries while other test runs hold forge's lock) with `cast send --create`.</summary>
    private static string Deploy(string rpc, string contract, string constructorSig, params string[] args)
    {
        var (source, name) = (contract.Split(':')[0], contract.Split(':')[1]);
        string artifact = Path.Combine(ForgeBuild.Artifacts(source), Path.GetFileName(source), name + ".json");
        string bytecode = (string)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(artifact))!["bytecode"]!["object"]!;
        string output = Run(TestPaths.FoundryTool("cast"), ["send", "--rpc-url", rpc, "--private-key", Key, "--json", "--create", bytecode, constructorSig, .. args]);
        return (string?)System.Text.Json.Nodes.JsonNode.Parse(output)!["contractAddress"] ?? throw new InvalidOperationException("cast send --create: " + output);
    }

    private static string Cast(string rpc, string verb, string to, string sig, params string[] args) =>
        Run(TestPaths.FoundryTool("cast"), [verb, "--rpc-url", rpc, "--private-key", Key, to, sig, .. args]);

    private static string Run(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe) { WorkingDirectory = TestPaths.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(); var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(300_000)) { p.Kill(true); throw new TimeoutException($"{exe} did not finish"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(exe)} {string.Join(' ', args)} failed: {stdout.Result}{stderr.Result}");
        return stdout.Result + stderr.Result;
    }

    private static void CopyDir(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }
}
