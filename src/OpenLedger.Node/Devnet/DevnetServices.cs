using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Wallet;
using OpenLedger.Serving;
using OpenLedger.Settlement;
using OpenLedger.Settlement.Chain;
using OpenLedger.Settlement.Prover;

namespace OpenLedger.Node.Devnet;

/// <summary>
/// The devnet's product services, in-process beside the L2: OpenLoRA serving (`openledger serve`, paid through
/// InferencePayments, adapters resolved through ModelRegistry) on the devnet's own base model (<see cref="DevnetModel"/>),
/// and the prover (`openledger prover` as <see cref="EpochProverService"/>) closing each epoch once it ends and
/// publishing it to the Datanets API. They sign with two accounts of their own (mnemonic indices 10 and 11, not among
/// the ten printed for users, so a user's transactions never race theirs for a nonce) when dev account 0 can grant them SETTLER_ROLE /
/// POSTER_ROLE (it is the admin on a --no-rollup devnet; on the rollup devnet it is DeployL2's default settler and poster itself). Everything lives under DATADIR/serve and
/// DATADIR/prover: the settlement journal, inference log and prover state survive kill -9.
/// </summary>
public sealed class DevnetServices : IAsyncDisposable
{
    private static readonly AbiFunction HasRole = AbiFunction.FromSignature("hasRole(bytes32,address)", "(bool)");
    private static readonly AbiFunction GrantRole = AbiFunction.FromSignature("grantRole(bytes32,address)");
    private static readonly UInt256 Funding = UInt256.Parse("100000000000000000000"); // 100 OPEN for gas

    private readonly CancellationTokenSource _stop = new();
    private readonly ILoggerFactory _loggers = Logging.Create();
    private PaidServing? _paid;
    private ServingHost? _server;
    private Task? _prover;
    private string? _tempDir;

    /// <summary>The OpenAI-compatible API's base URL (…/v1), or null when serving is not running.</summary>
    public string? InferenceUrl { get; private set; }

    public static async Task<DevnetServices> StartAsync(DevnetOptions options, NodeHost l2, string? datanetsApi, TextWriter output, CancellationToken ct)
    {
        var services = new DevnetServices();
        if (!options.Serve)
        {
            await output.WriteLineAsync("OpenLoRA serving and the prover: not started (--no-serve)");
            return services;
        }
        var root = ToolLocator.FindRepoRoot();
        var contractsFile = root == null ? null : Path.Combine(root, "deployments", $"{l2.Chain.Config.ChainId}-l2.json");
        if (contractsFile == null || !File.Exists(contractsFile))
        {
            await output.WriteLineAsync("OpenLoRA serving and the prover: not started: the L2 contracts were not deployed");
            return services;
        }
        var contracts = ContractDeployer.ReadAddresses(contractsFile);
        Address Contract(string name) => contracts.TryGetValue(name, out var a) && Address.TryParse(a, out var at) ? at
            : throw new InvalidOperationException($"{contractsFile} has no {name} (deployed by an older DeployL2?)");
        try
        {
            await services.StartCoreAsync(options, l2, root!, Contract("InferencePayments"), Contract("AttributionRewards"), Contract("ModelRegistry"),
                Contract("DatanetRegistry"), datanetsApi, output, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException or InvalidDataException or HttpRequestException
            or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcResponseException)
        {
            await Console.Error.WriteLineAsync($"error: OpenLoRA serving / prover: {e.Message.ReplaceLineEndings(" ")}");
            await services.DisposeAsync();
            return new DevnetServices();
        }
        return services;
    }

    private async Task StartCoreAsync(DevnetOptions options, NodeHost l2, string root, Address paymentsAt, Address rewardsAt, Address modelsAt, Address datanetsAt,
        string? datanetsApi, TextWriter output, CancellationToken ct)
    {
        var baseDir = await DevnetModel.EnsureAsync(DevnetModel.DirectoryFor(options.DataDir), root, output);
        string dataRoot = options.DataDir ?? (_tempDir = Path.Combine(Path.GetTempPath(), "openledger-devnet-services-" + Environment.ProcessId));
        var serveDir = Path.Combine(dataRoot, "serve");
        var adaptersDir = Path.Combine(serveDir, "adapters");
        var epochsDir = Path.Combine(dataRoot, "prover");
        Directory.CreateDirectory(adaptersDir);

        var chain = new ChainClient(l2.RpcUrl);
        var keys = DevAccounts.PrivateKeys(12);
        var settler = await RoleKeyAsync(chain, paymentsAt, "SETTLER_ROLE", keys[10], keys[0]);
        var poster = await RoleKeyAsync(chain, rewardsAt, "POSTER_ROLE", keys[11], keys[0]);

        var log = _loggers.CreateLogger("devnet.services");
        _paid = await PaidServing.StartAsync(l2.RpcUrl, paymentsAt, settler, Path.Combine(serveDir, "payments"), batchSize: 32, maxDelay: TimeSpan.FromSeconds(2),
            _loggers.CreateLogger("serve.payments"));
        var origin = new Uri(l2.RpcUrl).GetLeftPart(UriPartial.Authority);
        _server = await ServingHost.StartAsync(new ServeOptions
        {
            BaseDir = baseDir, AdaptersDir = adaptersDir, DataDir = serveDir, BaseName = DevnetModel.Name,
            RegistryRpc = l2.RpcUrl, ModelRegistry = modelsAt.ToString(), Port = options.ServePort,
            MaxTokens = 64, KvCacheMiB = 16, AdapterCacheBytes = 256L << 20,
            CorsOrigins = [origin, origin.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)],
        }, _paid.Payments, _loggers, ct);
        InferenceUrl = _server.Address.ToString().TrimEnd('/') + "/v1";

        var payments = new PaymentsContract(chain, paymentsAt);
        var rewards = new RewardsContract(chain, rewardsAt);
        var prover = new EpochProverService(payments, rewards, new RegistryReads(chain, modelsAt, datanetsAt), new ProverServiceOptions
        {
            RecordsPath = _paid.Journal.RecordsPath, InferenceLogPath = _server.InferenceLogPath, BaseModelDir = baseDir, AdaptersDir = adaptersDir,
            OutputDir = epochsDir, PosterKey = poster, DatanetsApi = datanetsApi,
        }, _loggers.CreateLogger("prover"));
        _prover = Task.Run(() => prover.RunAsync(_stop.Token));

        ulong epochLength = await CallUlongAsync(chain, paymentsAt, "epochLength()");
        ulong window = await CallUlongAsync(chain, rewardsAt, "challengeWindow()");
        using var settlerKey = new EthKey(settler);
        using var posterKey = new EthKey(poster);
        await output.WriteLineAsync($"OpenLoRA (OpenAI-compatible API): {InferenceUrl}  base model \"{DevnetModel.Name}\" ({baseDir})");
        await output.WriteLineAsync($"  adapters: registered in ModelRegistry, files under {adaptersDir}/<adapter hash or model id>/; paid through InferencePayments {paymentsAt} (settler {settlerKey.Address})");
        await output.WriteLineAsync($"Prover: closes each epoch when it ends (epochs of {epochLength} s, challenge window {window} s; EPOCH_LENGTH / CHALLENGE_WINDOW at first start set them), posts roots as {posterKey.Address}, epoch files in {epochsDir}");
        WriteServicesFile(root, l2.Chain.Config.ChainId, new JsonObject
        {
            ["chainId"] = l2.Chain.Config.ChainId,
            ["inference"] = InferenceUrl,
            ["datanetsApi"] = datanetsApi,
            ["baseModel"] = DevnetModel.Name,
            ["baseModelDir"] = baseDir,
            ["adaptersDir"] = adaptersDir,
            ["epochsDir"] = epochsDir,
            ["settler"] = settlerKey.Address.ToString(),
            ["poster"] = posterKey.Address.ToString(),
        });
        log.LogDebug("devnet services started");
    }

    /// <summary>
    /// The key the service signs with: <paramref name="serviceKey"/> once it holds <paramref name="role"/> and gas money
    /// (granted and funded by <paramref name="adminKey"/> when missing), else the admin's own key when it holds the role.
    /// </summary>
    private static async Task<byte[]> RoleKeyAsync(ChainClient chain, Address contract, string role, byte[] serviceKey, byte[] adminKey)
    {
        var roleId = Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(role));
        using var service = new EthKey(serviceKey);
        using var admin = new EthKey(adminKey);
        if (!(bool)(await chain.CallAsync(contract, HasRole, roleId, service.Address))[0]!)
        {
            bool granted;
            try { granted = (await chain.SendAsync(adminKey, contract, GrantRole.EncodeCall(roleId, service.Address))).Succeeded; }
            catch (Nethereum.JsonRpc.Client.RpcResponseException) { granted = false; } // the estimate reverts: account 0 is not the admin
            if (!granted)
            {
                if ((bool)(await chain.CallAsync(contract, HasRole, roleId, admin.Address))[0]!) return adminKey;
                throw new InvalidOperationException($"{role} on {contract}: dev account 0 could not grant it to {service.Address} and does not hold it");
            }
        }
        if (await chain.BalanceAsync(service.Address) < Funding / new UInt256(10))
        {
            var funded = await chain.SendAsync(adminKey, service.Address, [], Funding);
            if (!funded.Succeeded) throw new InvalidOperationException($"funding {service.Address} from dev account 0 failed (tx {funded.TransactionHash})");
        }
        return serviceKey;
    }

    private static async Task<ulong> CallUlongAsync(ChainClient chain, Address to, string signature) =>
        ((UInt256)(await chain.CallAsync(to, AbiFunction.FromSignature(signature, "(uint256)")))[0]!).u0;

    /// <summary>deployments/&lt;chainid&gt;-services.json: where the devnet's services listen (for the web app and scripts).</summary>
    private static void WriteServicesFile(string root, ulong chainId, JsonObject content)
    {
        var file = Path.Combine(root, "deployments", $"{chainId.ToString(CultureInfo.InvariantCulture)}-services.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var tmp = file + ".tmp";
        File.WriteAllText(tmp, content.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.Move(tmp, file, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_prover != null)
            try { await _prover; } catch (OperationCanceledException) { }
        if (_server != null) await _server.DisposeAsync();
        if (_paid != null) await _paid.DisposeAsync();
        _stop.Dispose();
        _loggers.Dispose();
        if (_tempDir != null)
            try { Directory.Delete(_tempDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
