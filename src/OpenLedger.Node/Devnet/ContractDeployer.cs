using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace OpenLedger.Node.Devnet;

/// <summary>Addresses a deploy script wrote to <c>deployments/&lt;chainid&gt;-{l1,l2}.json</c>, by contract name.</summary>
public sealed record ContractDeployment(string FilePath, IReadOnlyDictionary<string, string> Addresses);

/// <summary>Runs the Foundry deploy scripts (<c>contracts/script/*.s.sol</c>) with forge against a JSON-RPC endpoint.</summary>
public static class ContractDeployer
{
    /// <summary>anvil's well-known dev account 0 key (public; for development chains only).</summary>
    public const string AnvilDevKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    /// <summary>
    /// Runs <c>forge script contracts/script/DeployL1.s.sol --rpc-url URL --broadcast --private-key KEY</c> from the
    /// repository root and returns the addresses it wrote to <c>deployments/&lt;chainId&gt;-l1.json</c>.
    /// The first run in a checkout compiles the contracts (solc-js: a few minutes on a small machine).
    /// </summary>
    /// <param name="environment">Extra variables the script reads (see the top of DeployL1.s.sol), e.g. the bridge's periods.</param>
    public static Task<ContractDeployment> DeployL1Async(string forgePath, string repoRoot, string rpcUrl, long chainId,
        string privateKey = AnvilDevKey0, TimeSpan? timeout = null, CancellationToken ct = default, IReadOnlyDictionary<string, string>? environment = null)
        => DeployAsync(forgePath, repoRoot, "contracts/script/DeployL1.s.sol", $"{chainId}-l1.json", rpcUrl, privateKey,
            timeout ?? TimeSpan.FromMinutes(10), ct, environment);

    /// <summary>Runs DeployL2.s.sol (DatanetRegistry, ModelRegistry, AttributionRewards) against the L2 node; writes <c>deployments/&lt;chainId&gt;-l2.json</c>.</summary>
    public static Task<ContractDeployment> DeployL2Async(string forgePath, string repoRoot, string rpcUrl, ulong chainId,
        string privateKey = AnvilDevKey0, TimeSpan? timeout = null, CancellationToken ct = default)
        => DeployAsync(forgePath, repoRoot, "contracts/script/DeployL2.s.sol", $"{chainId}-l2.json", rpcUrl, privateKey,
            timeout ?? TimeSpan.FromMinutes(10), ct);

    private static async Task<ContractDeployment> DeployAsync(string forgePath, string repoRoot, string script, string outFile,
        string rpcUrl, string privateKey, TimeSpan timeout, CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null)
    {
        var file = Path.Combine(repoRoot, "deployments", outFile);
        var psi = new ProcessStartInfo(forgePath)
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "script", script, "--rpc-url", rpcUrl, "--broadcast", "--private-key", privateKey })
            psi.ArgumentList.Add(a);
        // The script reads PRIVATE_KEY for vm.startBroadcast: keep it the same key as --private-key.
        psi.Environment["PRIVATE_KEY"] = privateKey;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;

        var log = new StringBuilder();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {forgePath}");
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (ct.IsCancellationRequested) throw;
            throw new TimeoutException($"forge script {script} did not finish within {timeout.TotalMinutes:0} minutes");
        }

        string output;
        lock (log) output = log.ToString();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"forge script {script} exited with code {process.ExitCode}:\n{Tail(output, 40)}");
        if (!File.Exists(file))
            throw new InvalidOperationException($"forge script {script} succeeded but did not write {file}");
        return new ContractDeployment(file, ReadAddresses(file));
    }

    /// <summary>Reads the string-valued (address) entries of a deployments JSON file.</summary>
    public static IReadOnlyDictionary<string, string> ReadAddresses(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.String) result[p.Name] = p.Value.GetString()!;
        return result;
    }

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
