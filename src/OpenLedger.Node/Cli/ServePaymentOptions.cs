using System.CommandLine;
using Microsoft.Extensions.Logging;
using OpenLedger.Settlement;

namespace OpenLedger.Node.Cli;

/// <summary>`serve`'s paid-inference flags: --payments ADDR --settler-key KEY [--payments-rpc URL] [--settle-every N] [--settle-after-s S].</summary>
internal sealed class ServePaymentOptions
{
    public const string KeyEnv = "OPENLEDGER_SETTLER_KEY";
    private readonly Option<string?> _payments = new("--payments") { Description = "InferencePayments address: requests must carry the user's EIP-712 authorization (docs/settlement.md) and are charged on L2." };
    private readonly Option<string?> _rpc = new("--payments-rpc") { Description = "L2 JSON-RPC URL for payments (default: --registry-rpc)." };
    private readonly Option<string?> _key = new("--settler-key") { Description = $"Key holding SETTLER_ROLE (hex); default ${KeyEnv}." };
    private readonly Option<int> _every = new("--settle-every") { Description = "Settle once this many charges are pending.", DefaultValueFactory = _ => 32 };
    private readonly Option<int> _after = new("--settle-after-s") { Description = "Settle when the oldest pending charge has waited this long.", DefaultValueFactory = _ => 10 };

    public static ServePaymentOptions Create() => new();

    public void AddTo(Command cmd)
    {
        cmd.Add(_payments); cmd.Add(_rpc); cmd.Add(_key); cmd.Add(_every); cmd.Add(_after);
    }

    /// <summary>Null without --payments; the journal lives in DATADIR/payments (records.jsonl for the prover).</summary>
    public async Task<PaidServing?> StartAsync(ParseResult p, bool free, string? registryRpc, string dataDir, ILoggerFactory loggers)
    {
        if (p.GetValue(_payments) is not { } address) return null;
        if (free) throw new CliException("--free and --payments exclude each other", CliApp.UsageError);
        var at = SettlementCli.ParseAddress(address, "--payments");
        var rpc = p.GetValue(_rpc) ?? registryRpc ?? throw new CliException("--payments needs --payments-rpc or --registry-rpc", CliApp.UsageError);
        var key = SettlementCli.Key(p.GetValue(_key), KeyEnv, "--settler-key");
        if (p.GetValue(_every) < 1 || p.GetValue(_after) < 1) throw new CliException("--settle-every and --settle-after-s must be positive", CliApp.UsageError);
        try
        {
            return await PaidServing.StartAsync(rpc, at, key, Path.Combine(dataDir, "payments"), p.GetValue(_every), TimeSpan.FromSeconds(p.GetValue(_after)), loggers.CreateLogger("serve.payments"));
        }
        catch (Exception e) when (e is not CliException and not OutOfMemoryException)
        {
            throw new CliException($"--payments {address}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
