using OpenLedger.Node.Hosting;

namespace OpenLedger.Node.Devnet;

/// <summary>`openledger devnet`: starts the L1 (anvil) and deploys its contracts, then the L2 node and its contracts; runs until cancelled.</summary>
public static class DevnetRunner
{
    public static async Task<int> RunAsync(DevnetOptions options, TextWriter output, CancellationToken ct)
    {
        string anvilPath;
        try
        {
            anvilPath = options.AnvilPath ?? ToolLocator.Find("anvil");
        }
        catch (FileNotFoundException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }

        AnvilProcess anvil;
        try
        {
            // L1 moves on its own (a block every 2 s) so L2 blocks find new L1 origins. With a data directory the L1 keeps its
            // state there too (dumped every second and at exit), so a restart resumes both layers (and the L2's L1 origins still exist).
            // anvil's finalized tag trails its head by two "epochs": 4 slots each here, so the L2's finalized head follows within ~20 s.
            string[] args = ["--chain-id", "31337", "--block-time", "2", "--slots-in-an-epoch", "4"];
            if (options.DataDir is { } dir)
            {
                Directory.CreateDirectory(dir);
                if (L1StateFile.Prepare(dir) is { } warning) await Console.Error.WriteLineAsync(warning);
                args = [.. args, "--state", L1StateFile.PathIn(dir), "--state-interval", "1"];
            }
            anvil = await AnvilProcess.StartAsync(anvilPath, options.L1Port, args, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"error: L1: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        await using (anvil)
        {
            await output.WriteLineAsync($"L1 (anvil) JSON-RPC: {anvil.RpcUrl} (chain id 31337)");
            DevnetAnchor? anchor = null;
            IReadOnlyDictionary<string, string>? l1Addresses;
            try
            {
                // The output oracle is deployed with the L2 genesis time, so the anchor is chosen first.
                if (options.Rollup) anchor = await DevnetAnchor.ResolveAsync(options.DataDir, anvil.RpcUrl, ct);
                l1Addresses = await DeployL1Async(anvil.RpcUrl, output, ct, options.DataDir, anchor is null ? null : DevnetBridge.DeployEnvironment(anchor, options));
                if (l1Addresses is null) return 1;
                await L1Multicall3.InstallAsync(anvil.RpcUrl, output, ct);
            }
            catch (InvalidOperationException e)
            {
                await Console.Error.WriteLineAsync($"error: L1: {e.Message}");
                return 1;
            }
            catch (OperationCanceledException)
            {
                await output.WriteLineAsync("stopping: L1 (anvil)");
                return 0;
            }
            NodeHost l2;
            try
            {
                l2 = await DevnetL2.StartAsync(options, output, ct, options.Rollup ? anvil.RpcUrl : null, anchor, DevnetBridge.Portal(l1Addresses), l1Addresses);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or OpenLedger.State.Storage.StorageException)
            {
                await Console.Error.WriteLineAsync($"error: L2: {e.Message}");
                return 1;
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
            await using (l2)
            {
                try
                {
                    if (!await DevnetL2.DeployContractsAsync(l2, output, ct, options.DataDir, options.Rollup ? DevnetGovernance.L2Owner(l1Addresses) : null)) return 1;
                }
                catch (OperationCanceledException)
                {
                    await output.WriteLineAsync("stopping: L2 node, L1 (anvil)");
                    return 0;
                }
                await using var api = await DevnetApi.StartAsync(options, l2, output, ct);
                await using var rollup = options.Rollup ? await DevnetRollup.StartAsync(options, anvil.RpcUrl, l2, output, ct) : null;
                if (options.Rollup && rollup is null) return 1;
                await using var bridge = options.Rollup ? await DevnetBridge.StartAsync(anvil.RpcUrl, l2, l1Addresses, output, ct, rollup!.ReplicaRpcUrl) : null;
                await using var services = await DevnetServices.StartAsync(options, l2, api.Url, output, ct);
                await WebAppSite.AttachAsync(l2, new WebAppEndpoints(31337, anvil.RpcUrl, l2.Chain.Config.ChainId, l2.RpcUrl, !options.Rollup, bridge != null,
                    WebServices(options, api, services.InferenceUrl)), output);
                await output.WriteLineAsync("Press Ctrl-C to stop.");
                await output.FlushAsync(ct);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException) { }
                await output.WriteLineAsync("stopping: L2 node, L1 (anvil)");
            }
        }
        return 0;
    }

    /// <summary>The services /app/config.json names: the devnet's own, then those given with --web-service.</summary>
    private static Dictionary<string, string?> WebServices(DevnetOptions options, DevnetApi api, string? inference)
    {
        var services = new Dictionary<string, string?> { ["datanetsApi"] = api.Url, ["inference"] = inference, ["factory"] = api.FactoryUrl };
        foreach (var (k, v) in options.WebServices) services[k] = v;
        return services;
    }

    /// <summary>
    /// Deploys the L1 contracts with forge (anvil account 0) and prints their addresses. Without a checkout or forge it
    /// says so and goes on (the L1 still runs); a deployment that fails returns false.
    /// </summary>
    /// <returns>The deployed (or resumed) addresses by name; empty when not deployed for lack of a checkout or forge; null when deploying failed.</returns>
    private static async Task<IReadOnlyDictionary<string, string>?> DeployL1Async(string rpcUrl, TextWriter output, CancellationToken ct, string? dataDir,
        IReadOnlyDictionary<string, string>? environment)
    {
        var root = ToolLocator.FindRepoRoot();
        if (root == null)
        {
            await output.WriteLineAsync("L1 contracts: not deployed: no checkout found (foundry.toml + package.json); run from the repository to deploy them");
            return new Dictionary<string, string>();
        }
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            var resumed = await DeploymentRecord.TryResumeAsync(dataDir, "l1", Path.Combine(root, "deployments", "31337-l1.json"), async address =>
            {
                var resp = await http.PostAsync(rpcUrl, new StringContent($$"""{"jsonrpc":"2.0","id":1,"method":"eth_getCode","params":["{{address}}","latest"]}""", System.Text.Encoding.UTF8, "application/json"), ct);
                using var doc = System.Text.Json.JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct));
                return doc.RootElement.TryGetProperty("result", out var code) && code.GetString() is { Length: > 2 };
            });
            if (resumed != null)
            {
                await output.WriteLineAsync($"L1 contracts resumed from {dataDir} ({Path.GetRelativePath(root, resumed.FilePath)}):");
                foreach (var (name, address) in resumed.Addresses)
                    await output.WriteLineAsync($"  {name,-20} {address}");
                return resumed.Addresses;
            }
        }
        string forge;
        try
        {
            forge = ToolLocator.Find("forge");
        }
        catch (FileNotFoundException e)
        {
            await output.WriteLineAsync($"L1 contracts: not deployed: {e.Message}");
            return new Dictionary<string, string>();
        }
        try
        {
            await output.WriteLineAsync("L1 contracts: deploying with forge (the first run compiles them: may take a few minutes)...");
            await output.FlushAsync(ct);
            var deployment = await ContractDeployer.DeployL1Async(forge, root, rpcUrl, 31337, ct: ct, environment: environment);
            DeploymentRecord.Save(dataDir, "l1", deployment);
            await output.WriteLineAsync($"L1 contracts deployed ({Path.GetRelativePath(root, deployment.FilePath)}):");
            foreach (var (name, address) in deployment.Addresses)
                await output.WriteLineAsync($"  {name,-20} {address}");
            return deployment.Addresses;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.Text.Json.JsonException)
        {
            await Console.Error.WriteLineAsync($"error: L1 contracts: {e.Message}");
            return null;
        }
    }
}
