using System.Text;
using System.Text.Json;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Devnet;

/// <summary>
/// Multicall3 at its canonical address on the devnet's L1, as on every public L1 (anvil starts without it). viem's OP
/// Stack actions (getTimeToProve, getTimeToFinalize and so getWithdrawalStatus) read the oracle and the portal through
/// it, and the web app's withdrawals use them. The code is OP's preinstall from the npm package, checked by hash.
/// </summary>
public static class L1Multicall3
{
    public const string Address = "0xcA11bde05977b3631167028862bE2a173976CA11";

    /// <summary>keccak256 of Multicall3's deployed code (the same on every chain).</summary>
    public static readonly Hash256 CodeHash = Hash256.Parse("0xd5c15df687b16f2ff992fc8d767b4216323184a2bbc6ee2f9c398c318e770891");

    /// <summary>Sets the code with anvil_setCode when it is not there yet (a resumed L1 keeps it). Says why when it cannot.</summary>
    public static async Task InstallAsync(string l1RpcUrl, TextWriter output, CancellationToken ct)
    {
        var root = ToolLocator.FindRepoRoot();
        if (root == null) return;
        byte[] code;
        try
        {
            code = PreinstallSource.Code(root, "MultiCall3");
        }
        catch (OpenLedger.Chain.Genesis.GenesisException e)
        {
            await output.WriteLineAsync($"L1 Multicall3: not installed: {e.Message}");
            return;
        }
        if (Keccak256.Compute(code) != CodeHash)
        {
            await output.WriteLineAsync("L1 Multicall3: not installed: the code in Preinstalls.sol does not have Multicall3's code hash");
            return;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var existing = await CallAsync(http, l1RpcUrl, "eth_getCode", $"[\"{Address}\",\"latest\"]", ct);
            if (existing.ValueKind == JsonValueKind.String && existing.GetString() is { Length: > 2 }) return;
            await CallAsync(http, l1RpcUrl, "anvil_setCode", $"[\"{Address}\",\"{Hex.Encode(code)}\"]", ct);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            await output.WriteLineAsync($"L1 Multicall3: not installed: {e.Message}");
        }
    }

    private static async Task<JsonElement> CallAsync(HttpClient http, string url, string method, string paramsJson, CancellationToken ct)
    {
        var body = $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{paramsJson}}}""";
        using var resp = await http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"), ct);
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct));
        if (doc.RootElement.TryGetProperty("error", out var err)) throw new InvalidOperationException($"L1 {method}: {err}");
        return doc.RootElement.GetProperty("result").Clone();
    }
}
