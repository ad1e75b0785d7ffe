using System.CommandLine;
using System.Numerics;
using Microsoft.Extensions.Logging;
using Nethereum.JsonRpc.Client;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.Bridge;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger bridge deposit|withdraw|prove|finalize|status`: the user side of the OPEN bridge over Nethereum's
/// JSON-RPC client (see <see cref="BridgeClient"/>). Amounts are in OPEN (decimals allowed, 18 places). The key comes
/// from --private-key or OPENLEDGER_KEY. `status` without --tx checks the portal's escrow (exit 1 when it does not hold).
/// </summary>
public static class BridgeCommand
{
    public static Command Create()
    {
        var cmd = new Command("bridge", "Move OPEN between L1 and L2 through the portal (deposits, withdrawals, proofs).");
        cmd.Add(Deposit());
        cmd.Add(Withdraw());
        cmd.Add(ProveOrFinalize(prove: true));
        cmd.Add(ProveOrFinalize(prove: false));
        cmd.Add(Status());
        return cmd;
    }

    private static Option<string> L1() => new("--l1-rpc") { Description = "L1 JSON-RPC URL.", Required = true };
    private static Option<string> L2(bool required) => new("--l2-rpc") { Description = "L2 JSON-RPC URL (our node).", Required = required };
    private static Option<string> PortalOpt() => new("--portal") { Description = "OpenPortal address on L1 (deployments/<chainid>-l1.json).", Required = true };
    private static Option<string?> Key() => new("--private-key") { Description = "Key (hex); default $OPENLEDGER_KEY." };
    private static Option<string> Tx() => new("--tx") { Description = "The L2 transaction that started the withdrawal.", Required = true };

    private static Command Deposit()
    {
        var l1 = L1(); var portal = PortalOpt(); var key = Key();
        var amount = new Option<string>("--amount") { Description = "OPEN to move to L2.", Required = true };
        var to = new Option<string?>("--to") { Description = "L2 recipient (default: the sender)." };
        var gas = new Option<ulong>("--gas") { Description = "L2 gas for the deposit transaction.", DefaultValueFactory = _ => 100_000 };
        var cmd = new Command("deposit", "Escrow OPEN in the portal; it is minted on L2 in the block of that L1 origin.") { l1, portal, key, amount, to, gas };
        cmd.SetAction(async (p, ct) =>
        {
            var (client, sender, _) = await ConnectAsync(p.GetValue(l1)!, null, p.GetValue(portal)!, p.GetValue(key), ct);
            var recipient = p.GetValue(to) is { } t ? ParseAddress(t, "--to") : sender.From;
            var mint = ParseOpen(p.GetValue(amount)!);
            var (block, l2Hash) = await Guard(() => client.DepositAsync(sender, recipient, mint, p.GetValue(gas), ct));
            Console.WriteLine($"deposit mined in L1 block {block} (tx {sender.LastTransactionHash}); L2 deposit transaction {l2Hash}");
            return CliApp.Ok;
        });
        return cmd;
    }

    private static Command Withdraw()
    {
        var l1 = L1(); var l2 = L2(true); var portal = PortalOpt(); var key = Key();
        var amount = new Option<string>("--amount") { Description = "OPEN to withdraw to L1.", Required = true };
        var to = new Option<string?>("--to") { Description = "L1 recipient (default: the sender)." };
        var gas = new Option<ulong>("--gas") { Description = "L1 gas the withdrawal's call gets at finalization.", DefaultValueFactory = _ => 100_000 };
        var cmd = new Command("withdraw", "Start a withdrawal on L2 (burns the OPEN there); then prove and finalize it on L1.") { l1, l2, portal, key, amount, to, gas };
        cmd.SetAction(async (p, ct) =>
        {
            var (client, l1Sender, l2Sender) = await ConnectAsync(p.GetValue(l1)!, p.GetValue(l2), p.GetValue(portal)!, p.GetValue(key), ct);
            var recipient = p.GetValue(to) is { } t ? ParseAddress(t, "--to") : l1Sender.From;
            var value = ParseOpen(p.GetValue(amount)!);
            var hash = await Guard(() => client.WithdrawAsync(l2Sender!, recipient, value, p.GetValue(gas), ct));
            var w = await Guard(() => client.WithdrawalAsync(hash));
            Console.WriteLine($"withdrawal started in L2 block {w.L2Block}: tx {hash}, withdrawal hash {w.Hash}");
            return CliApp.Ok;
        });
        return cmd;
    }

    private static Command ProveOrFinalize(bool prove)
    {
        var l1 = L1(); var l2 = L2(true); var portal = PortalOpt(); var key = Key(); var tx = Tx();
        var cmd = new Command(prove ? "prove" : "finalize", prove
            ? "Prove a withdrawal against the output that covers it (storage proof from the L2 node)."
            : "Finalize a proven withdrawal once the finalization period has passed: the portal releases the OPEN.") { l1, l2, portal, key, tx };
        cmd.SetAction(async (p, ct) =>
        {
            var (client, sender, _) = await ConnectAsync(p.GetValue(l1)!, p.GetValue(l2), p.GetValue(portal)!, p.GetValue(key), ct);
            var l2Tx = ParseHash(p.GetValue(tx)!);
            var w = await Guard(() => client.WithdrawalAsync(l2Tx));
            ulong block = await Guard(() => prove ? client.ProveAsync(sender, w, ct) : client.FinalizeAsync(sender, w, ct));
            Console.WriteLine($"withdrawal {w.Hash} {(prove ? "proven" : "finalized")} in L1 block {block} (tx {sender.LastTransactionHash})");
            return CliApp.Ok;
        });
        return cmd;
    }

    private static Command Status()
    {
        var l1 = L1(); var l2 = L2(false); var portal = PortalOpt();
        var tx = new Option<string?>("--tx") { Description = "A withdrawal's L2 transaction; without it, the portal's escrow is checked." };
        var cmd = new Command("status", "A withdrawal's status (viem's names), or the portal's escrow check.") { l1, l2, portal, tx };
        cmd.SetAction(async (p, ct) =>
        {
            var client = new BridgeClient(Client(p.GetValue(l1)!, "--l1-rpc"), p.GetValue(l2) is { } u ? Client(u, "--l2-rpc") : null, ParseAddress(p.GetValue(portal)!, "--portal"));
            if (p.GetValue(tx) is { } hash)
            {
                if (p.GetValue(l2) is null) throw new CliException("--tx needs --l2-rpc", CliApp.UsageError);
                var w = await Guard(() => client.WithdrawalAsync(ParseHash(hash)));
                var status = await Guard(() => client.StatusAsync(w));
                Console.WriteLine(status switch
                {
                    WithdrawalStatus.WaitingToProve => "waiting-to-prove",
                    WithdrawalStatus.ReadyToProve => "ready-to-prove",
                    WithdrawalStatus.WaitingToFinalize => "waiting-to-finalize",
                    WithdrawalStatus.ReadyToFinalize => "ready-to-finalize",
                    _ => "finalized",
                });
                return CliApp.Ok;
            }
            var r = await Guard(client.EscrowAsync);
            Console.WriteLine($"escrowed {Format(r.Escrowed)} OPEN, portal holds {Format(r.TokenBalance)} OPEN, deposited {Format(r.TotalDeposited)}, withdrawn {Format(r.TotalWithdrawn)}{(r.Paused ? ", PAUSED" : "")}"
                + (r.WithdrawnOnL2 is { } burned ? $"; withdrawn on L2 (MessagePassed) {Format(burned)}" : ""));
            if (r.L2 is { } s)
            {
                Console.WriteLine($"L2 blocks 0-{s.Head} (L1 origin #{s.HeadL1Origin}): minted by {s.Deposits} deposits {Format(s.Minted)} OPEN, burned by withdrawals {Format(s.Burned)}, net {(s.Minted >= s.Burned ? Format(s.Minted - s.Burned) : "-" + Format(s.Burned - s.Minted))}; "
                    + $"the portal's deposits up to L1 block #{s.HeadL1Origin}: {Format(s.DepositedUpToOrigin)}");
                if (r.DepositsInFlight is { } din && r.WithdrawalsInFlight is { } win)
                    Console.WriteLine($"in flight: deposits not yet on L2 {Format(din)}, withdrawals burned on L2 not yet finalized on L1 {Format(win)} (escrowed = net minted + both)");
            }
            if (!r.Holds) throw new CliException("escrow invariant broken: escrowed must equal deposited − withdrawn and the portal's OPEN balance, L1 may not release more than L2 withdrew, "
                + "and L2 must have minted exactly the portal's deposits up to its L1 origin");
            Console.WriteLine("escrow invariant holds");
            return CliApp.Ok;
        });
        return cmd;
    }

    private static async Task<T> Guard<T>(Func<Task<T>> f)
    {
        try { return await f(); }
        catch (Exception e) when (e is RpcClientUnknownException or RpcResponseException or HttpRequestException or FormatException or InvalidOperationException or Primitives.Abi.AbiException)
        {
            throw new CliException(e.Message);
        }
    }

    private static async Task<(BridgeClient Client, L1TxSender L1Sender, L1TxSender? L2Sender)> ConnectAsync(string l1Url, string? l2Url, string portal, string? keyHex, CancellationToken ct)
    {
        keyHex ??= Environment.GetEnvironmentVariable("OPENLEDGER_KEY");
        if (string.IsNullOrEmpty(keyHex) || !Hex.TryDecode(keyHex, out var key) || key.Length != 32)
            throw new CliException("--private-key (or OPENLEDGER_KEY) must be a 32-byte hex key", CliApp.UsageError);
        var l1 = Client(l1Url, "--l1-rpc");
        var l2 = l2Url is null ? null : Client(l2Url, "--l2-rpc");
        var portalAddress = ParseAddress(portal, "--portal");
        var log = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var l1Id = await Guard(() => OutputRoleCommands.L1ChainIdAsync(l1));
        L1TxSender? l2Sender = null;
        if (l2 is not null) l2Sender = new L1TxSender(l2, key, await Guard(() => OutputRoleCommands.L1ChainIdAsync(l2)), log);
        return (new BridgeClient(l1, l2, portalAddress), new L1TxSender(l1, key, l1Id, log), l2Sender);
    }

    private static RpcClient Client(string url, string name) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? new RpcClient(u) : throw new CliException($"{name} must be an http(s) URL, got {url}", CliApp.UsageError);

    private static Address ParseAddress(string s, string name) =>
        Address.TryParse(s, out var a) ? a : throw new CliException($"{name} must be a 20-byte hex address, got {s}", CliApp.UsageError);

    private static Hash256 ParseHash(string s) =>
        Hash256.TryParse(s, out var h) ? h : throw new CliException($"--tx must be a 32-byte hex transaction hash, got {s}", CliApp.UsageError);

    /// <summary>"1.5" OPEN → 1.5e18 wei; at most 18 decimals, positive.</summary>
    public static UInt256 ParseOpen(string text)
    {
        var parts = text.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 || !parts.All(x => x.All(char.IsAsciiDigit)) || (parts.Length == 2 && (parts[1].Length is 0 or > 18)))
            throw new CliException($"--amount must be a positive number of OPEN with at most 18 decimals, got {text}", CliApp.UsageError);
        var wei = BigInteger.Parse(parts[0]) * BigInteger.Pow(10, 18) + (parts.Length == 2 ? BigInteger.Parse(parts[1].PadRight(18, '0')) : 0);
        if (wei.IsZero || wei.GetBitLength() > 256) throw new CliException($"--amount must be positive and below 2^256 wei, got {text}", CliApp.UsageError);
        return UInt256.FromBigInteger(wei);
    }

    private static string Format(UInt256 wei)
    {
        var v = wei.ToBigInteger();
        var frac = (v % BigInteger.Pow(10, 18)).ToString().PadLeft(18, '0').TrimEnd('0');
        return frac.Length == 0 ? (v / BigInteger.Pow(10, 18)).ToString() : $"{v / BigInteger.Pow(10, 18)}.{frac}";
    }
}
