using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;
using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives.Abi;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.L1;

namespace OpenLedger.Rollup.Bridge;

/// <summary>A withdrawal as L2ToL1MessagePasser records it (OP's WithdrawalTransaction) with its hash and L2 block.</summary>
public sealed record Withdrawal(UInt256 Nonce, Address Sender, Address Target, UInt256 Value, UInt256 GasLimit, byte[] Data, Hash256 Hash, ulong L2Block)
{
    public object?[] AsTuple() => [Nonce, Sender, Target, Value, GasLimit, Data];
}

/// <summary>Where a withdrawal stands, in viem's words (getWithdrawalStatus).</summary>
public enum WithdrawalStatus { WaitingToProve, ReadyToProve, WaitingToFinalize, ReadyToFinalize, Finalized }

/// <summary>
/// What the portal holds against what it accounts for (the escrow invariant an operator checks), and, given the L2,
/// the OPEN withdrawn there (the sum of L2ToL1MessagePasser's MessagePassed values, burned on L2).
/// </summary>
public sealed record EscrowReport(UInt256 Escrowed, UInt256 TokenBalance, UInt256 TotalDeposited, UInt256 TotalWithdrawn, bool Paused, UInt256? WithdrawnOnL2 = null)
{
    /// <summary>The L2's own account, summed from its blocks (with the L2 only).</summary>
    public L2Supply? L2 { get; init; }

    /// <summary>
    /// escrowed = deposited − withdrawn, the portal holds exactly that much OPEN, and L1 never released more than L2 burned;
    /// with the L2's blocks also: L2 minted exactly what the portal escrowed up to the L2 head's L1 origin, never more than
    /// was deposited, and burned at least what L1 released.
    /// </summary>
    public bool Holds => Escrowed == TokenBalance && TotalDeposited >= TotalWithdrawn && Escrowed == TotalDeposited - TotalWithdrawn
        && (WithdrawnOnL2 is not { } burned || TotalWithdrawn <= burned)
        && (L2 is not { } s || (s.Minted == s.DepositedUpToOrigin && s.Minted <= TotalDeposited && TotalWithdrawn <= s.Burned));

    /// <summary>Deposits escrowed on L1 but not yet minted on L2 (their L1 block is after the L2 head's origin).</summary>
    public UInt256? DepositsInFlight => L2 is { } s && s.Minted <= TotalDeposited ? TotalDeposited - s.Minted : null;
    /// <summary>OPEN burned on L2 by withdrawals not yet finalized on L1 (still escrowed).</summary>
    public UInt256? WithdrawalsInFlight => L2 is { } s && TotalWithdrawn <= s.Burned ? s.Burned - TotalWithdrawn : null;
}

/// <summary>
/// The user side of the OPEN bridge over JSON-RPC (Nethereum's client on both layers): deposit through the portal,
/// withdraw through L2ToL1MessagePasser, prove against the oracle's output with our node's eth_getProof, finalize,
/// and read the status; the same calls viem's OP Stack actions make.
/// </summary>
public sealed class BridgeClient(IClient l1, IClient? l2, Address portal)
{
    public static readonly Hash256 MessagePassedTopic = Keccak256.Compute("MessagePassed(uint256,address,address,uint256,uint256,bytes,bytes32)"u8);
    private const string WithdrawalTuple = "(uint256,address,address,uint256,uint256,bytes)";
    private static readonly AbiFunction TokenF = AbiFunction.FromSignature("token()", "(address)");
    private static readonly AbiFunction OracleF = AbiFunction.FromSignature("l2Oracle()", "(address)");
    private static readonly AbiFunction Allowance = AbiFunction.FromSignature("allowance(address,address)", "(uint256)");
    private static readonly AbiFunction BalanceOf = AbiFunction.FromSignature("balanceOf(address)", "(uint256)");
    private static readonly AbiFunction Approve = AbiFunction.FromSignature("approve(address,uint256)");
    private static readonly AbiFunction DepositErc20 = AbiFunction.FromSignature("depositERC20Transaction(address,uint256,uint256,uint64,bool,bytes)");
    private static readonly AbiFunction InitiateWithdrawal = AbiFunction.FromSignature("initiateWithdrawal(address,uint256,bytes)");
    private static readonly AbiFunction OutputIndexAfter = AbiFunction.FromSignature("getL2OutputIndexAfter(uint256)", "(uint256)");
    private static readonly AbiFunction GetOutput = AbiFunction.FromSignature("getL2Output(uint256)", "(bytes32,uint128,uint128)");
    private static readonly AbiFunction Prove = AbiFunction.FromSignature($"proveWithdrawalTransaction({WithdrawalTuple},uint256,(bytes32,bytes32,bytes32,bytes32),bytes[])");
    private static readonly AbiFunction Finalize = AbiFunction.FromSignature($"finalizeWithdrawalTransaction({WithdrawalTuple})");
    private static readonly AbiFunction Proven = AbiFunction.FromSignature("provenWithdrawals(bytes32)", "(bytes32,uint128,uint128)");
    private static readonly AbiFunction FinalizedF = AbiFunction.FromSignature("finalizedWithdrawals(bytes32)", "(bool)");
    private static readonly AbiFunction Period = AbiFunction.FromSignature("FINALIZATION_PERIOD_SECONDS()", "(uint256)");
    private static readonly AbiFunction IsOutputFinalized = AbiFunction.FromSignature("isOutputFinalized(uint256)", "(bool)");
    private static readonly AbiFunction Escrowed = AbiFunction.FromSignature("escrowed()", "(uint256)");
    private static readonly AbiFunction TotalDeposited = AbiFunction.FromSignature("totalDeposited()", "(uint256)");
    private static readonly AbiFunction TotalWithdrawn = AbiFunction.FromSignature("totalWithdrawn()", "(uint256)");
    private static readonly AbiFunction PausedF = AbiFunction.FromSignature("paused()", "(bool)");

    private int _id;

    private IClient L2 => l2 ?? throw new InvalidOperationException("this command needs --l2-rpc");

    private async Task<JToken?> RpcAsync(IClient c, string method, params object[] args) =>
        await c.SendRequestAsync<JToken?>(new RpcRequest(Interlocked.Increment(ref _id), method, args)).ConfigureAwait(false);

    private async Task<object?[]> CallAsync(IClient c, Address to, AbiFunction f, params object?[] args)
    {
        var call = new Dictionary<string, object> { ["to"] = to.ToString(), ["data"] = Hex.Encode(f.EncodeCall(args)) };
        var hex = (await RpcAsync(c, "eth_call", call, "latest").ConfigureAwait(false))?.Value<string>() ?? throw new FormatException($"eth_call {f.Name} returned nothing");
        return f.DecodeOutput(Hex.Decode(hex));
    }

    private static ulong U64(object? v) => v is UInt256 u && u <= new UInt256(ulong.MaxValue) ? (ulong)u : throw new FormatException($"{v} is not a 64-bit number");

    /// <summary>Refuses up front, with the reason, what a paused portal would revert (the guardian's pause is honoured by every command).</summary>
    private async Task EnsureNotPausedAsync()
    {
        if ((bool)(await CallAsync(l1, portal, PausedF).ConfigureAwait(false))[0]!)
            throw new InvalidOperationException($"the portal {portal} is paused by its guardian: deposits and withdrawal proofs and finalizations wait until it is unpaused");
    }

    public async Task<Address> TokenAsync() => (Address)(await CallAsync(l1, portal, TokenF).ConfigureAwait(false))[0]!;
    public async Task<Address> OracleAsync() => (Address)(await CallAsync(l1, portal, OracleF).ConfigureAwait(false))[0]!;

    /// <summary>
    /// Escrows <paramref name="amount"/> OPEN (approving the portal first when needed) and deposits a transaction that
    /// mints it on L2 to the sender and passes it on to <paramref name="to"/>. Returns the L1 block and the L2 deposit transaction.
    /// </summary>
    public async Task<(ulong L1Block, Hash256 L2Hash)> DepositAsync(L1TxSender sender, Address to, UInt256 amount, ulong gas, CancellationToken ct)
    {
        await EnsureNotPausedAsync().ConfigureAwait(false);
        var token = await TokenAsync().ConfigureAwait(false);
        var allowance = (UInt256)(await CallAsync(l1, token, Allowance, sender.From, portal).ConfigureAwait(false))[0]!;
        if (allowance < amount) await sender.SendAsync(token, Approve.EncodeCall(portal, amount), ct).ConfigureAwait(false);
        ulong block = await sender.SendAsync(portal, DepositErc20.EncodeCall(to, amount, to == sender.From ? UInt256.Zero : amount, gas, false, Array.Empty<byte>()), ct).ConfigureAwait(false);
        var receipt = await RpcAsync(l1, "eth_getTransactionReceipt", sender.LastTransactionHash.ToString()).ConfigureAwait(false) ?? throw new FormatException("no L1 receipt");
        var blockHash = Hash256.Parse(receipt["blockHash"]!.Value<string>()!);
        var logs = ((JArray?)receipt["logs"] ?? [])
            .Where(l => Address.Parse(l["address"]!.Value<string>()!) == portal)
            .Select(l => new L1DepositLog(blockHash, Convert.ToUInt64(l["logIndex"]!.Value<string>()![2..], 16),
                ((JArray)l["topics"]!).Select(t => Hash256.Parse(t.Value<string>()!)).ToList(), Hex.Decode(l["data"]!.Value<string>()!)));
        var deposit = DepositLog.ToDeposits(logs).LastOrDefault() ?? throw new InvalidOperationException("the deposit emitted no TransactionDeposited log");
        return (block, deposit.Hash);
    }

    /// <summary>Starts a withdrawal of <paramref name="amount"/> OPEN on L2 to <paramref name="to"/> on L1; returns the L2 transaction hash.</summary>
    public async Task<Hash256> WithdrawAsync(L1TxSender l2Sender, Address to, UInt256 amount, ulong gas, CancellationToken ct)
    {
        await l2Sender.SendAsync(Predeploys.L2ToL1MessagePasser, InitiateWithdrawal.EncodeCall(to, (ulong)gas, Array.Empty<byte>()), amount, ct).ConfigureAwait(false);
        return l2Sender.LastTransactionHash;
    }

    /// <summary>The withdrawal an L2 transaction started (its MessagePassed log), or an error naming what is missing.</summary>
    public async Task<Withdrawal> WithdrawalAsync(Hash256 l2Tx)
    {
        var receipt = await RpcAsync(L2, "eth_getTransactionReceipt", l2Tx.ToString()).ConfigureAwait(false);
        if (receipt is null || receipt.Type == JTokenType.Null) throw new InvalidOperationException($"L2 has no receipt for {l2Tx}");
        var log = ((JArray?)receipt["logs"] ?? []).FirstOrDefault(l =>
            Address.Parse(l["address"]!.Value<string>()!) == Predeploys.L2ToL1MessagePasser && ((JArray)l["topics"]!).Count == 4
            && Hash256.Parse(l["topics"]![0]!.Value<string>()!) == MessagePassedTopic)
            ?? throw new InvalidOperationException($"L2 transaction {l2Tx} started no withdrawal (no MessagePassed log)");
        var topics = ((JArray)log["topics"]!).Select(t => Hash256.Parse(t.Value<string>()!)).ToList();
        var body = AbiDecoder.Decode(AbiType.Parse("(uint256,uint256,bytes,bytes32)").Components, Hex.Decode(log["data"]!.Value<string>()!));
        return new Withdrawal(UInt256.FromBigEndian(topics[1].Bytes), Address.FromWord(topics[2].Bytes), Address.FromWord(topics[3].Bytes),
            (UInt256)body[0]!, (UInt256)body[1]!, (byte[])body[2]!, new Hash256((byte[])body[3]!), Convert.ToUInt64(receipt["blockNumber"]!.Value<string>()![2..], 16));
    }

    /// <summary>The first output at or after the withdrawal's block, or null when none has been proposed yet.</summary>
    public async Task<(ulong Index, Hash256 Root, ulong L2Block, ulong Timestamp)?> OutputCoveringAsync(Withdrawal w)
    {
        var oracle = await OracleAsync().ConfigureAwait(false);
        ulong index;
        try { index = U64((await CallAsync(l1, oracle, OutputIndexAfter, w.L2Block).ConfigureAwait(false))[0]); }
        catch (RpcResponseException) { return null; } // no output at or after that block yet
        var o = await CallAsync(l1, oracle, GetOutput, index).ConfigureAwait(false);
        return (index, new Hash256((byte[])o[0]!), U64(o[2]), U64(o[1]));
    }

    /// <summary>Proves the withdrawal against the output covering it: the output root's preimage and the storage proof of its slot from our node.</summary>
    public async Task<ulong> ProveAsync(L1TxSender sender, Withdrawal w, CancellationToken ct)
    {
        await EnsureNotPausedAsync().ConfigureAwait(false);
        var output = await OutputCoveringAsync(w).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"no output covers L2 block {w.L2Block} yet: wait for the proposer");
        var slotPreimage = new byte[64];
        w.Hash.Bytes.CopyTo(slotPreimage);
        var slot = Keccak256.Compute(slotPreimage);
        var blockTag = "0x" + output.L2Block.ToString("x");
        var proof = await RpcAsync(L2, "eth_getProof", Predeploys.L2ToL1MessagePasser.ToString(), new[] { slot.ToString() }, blockTag).ConfigureAwait(false)
            ?? throw new FormatException("eth_getProof returned nothing");
        var block = await RpcAsync(L2, "eth_getBlockByNumber", blockTag, false).ConfigureAwait(false) ?? throw new FormatException($"L2 has no block {output.L2Block}");
        var stateRoot = Hash256.Parse(block["stateRoot"]!.Value<string>()!);
        var blockHash = Hash256.Parse(block["hash"]!.Value<string>()!);
        var storageRoot = Hash256.Parse(proof["storageHash"]!.Value<string>()!);
        if (OutputRoot.ComputeV0(stateRoot, storageRoot, blockHash) != output.Root)
            throw new InvalidOperationException($"output {output.Index} on L1 ({output.Root}) is not L2 block {output.L2Block} as our node has it: a wrong root (challenge it) or another chain");
        var nodes = ((JArray)proof["storageProof"]![0]!["proof"]!).Select(n => (object?)Hex.Decode(n.Value<string>()!)).ToList();
        var root = new object?[] { OutputRoot.Version0.ToArray(), stateRoot.ToArray(), storageRoot.ToArray(), blockHash.ToArray() };
        return await sender.SendAsync(portal, Prove.EncodeCall(w.AsTuple(), output.Index, root, nodes), ct).ConfigureAwait(false);
    }

    public async Task<ulong> FinalizeAsync(L1TxSender sender, Withdrawal w, CancellationToken ct)
    {
        await EnsureNotPausedAsync().ConfigureAwait(false);
        return await sender.SendAsync(portal, Finalize.EncodeCall(new object?[] { w.AsTuple() }), ct).ConfigureAwait(false);
    }

    /// <summary>viem's getWithdrawalStatus for a pre-fault-proof portal.</summary>
    public async Task<WithdrawalStatus> StatusAsync(Withdrawal w)
    {
        if ((bool)(await CallAsync(l1, portal, FinalizedF, w.Hash.ToArray()).ConfigureAwait(false))[0]!) return WithdrawalStatus.Finalized;
        var proven = await CallAsync(l1, portal, Proven, w.Hash.ToArray()).ConfigureAwait(false);
        ulong provenAt = U64(proven[1]);
        if (provenAt == 0)
            return await OutputCoveringAsync(w).ConfigureAwait(false) is null ? WithdrawalStatus.WaitingToProve : WithdrawalStatus.ReadyToProve;
        var oracle = await OracleAsync().ConfigureAwait(false);
        ulong period = U64((await CallAsync(l1, oracle, Period).ConfigureAwait(false))[0]);
        var head = await RpcAsync(l1, "eth_getBlockByNumber", "latest", false).ConfigureAwait(false);
        ulong now = Convert.ToUInt64(head!["timestamp"]!.Value<string>()![2..], 16);
        bool outputFinal = (bool)(await CallAsync(l1, oracle, IsOutputFinalized, proven[2]).ConfigureAwait(false))[0]!;
        return now > provenAt + period && outputFinal ? WithdrawalStatus.ReadyToFinalize : WithdrawalStatus.WaitingToFinalize;
    }

    /// <summary>The portal's escrow against its token balance and its own totals; with the L2, the OPEN withdrawn there.</summary>
    public async Task<EscrowReport> EscrowAsync()
    {
        var token = await TokenAsync().ConfigureAwait(false);
        return new EscrowReport(
            (UInt256)(await CallAsync(l1, portal, Escrowed).ConfigureAwait(false))[0]!,
            (UInt256)(await CallAsync(l1, token, BalanceOf, portal).ConfigureAwait(false))[0]!,
            (UInt256)(await CallAsync(l1, portal, TotalDeposited).ConfigureAwait(false))[0]!,
            (UInt256)(await CallAsync(l1, portal, TotalWithdrawn).ConfigureAwait(false))[0]!,
            (bool)(await CallAsync(l1, portal, PausedF).ConfigureAwait(false))[0]!,
            l2 is null ? null : await WithdrawnOnL2Async().ConfigureAwait(false))
        {
            L2 = l2 is null ? null : await L2Supply.ReadAsync(l1, l2, portal).ConfigureAwait(false),
        };
    }

    /// <summary>The sum of every MessagePassed value on L2 (eth_getLogs in ranges of 5,000 blocks, under the node's log range limit).</summary>
    private async Task<UInt256> WithdrawnOnL2Async()
    {
        var head = Convert.ToUInt64((await RpcAsync(L2, "eth_blockNumber").ConfigureAwait(false))!.Value<string>()![2..], 16);
        var total = UInt256.Zero;
        for (ulong from = 0; from <= head; from += 5_000)
        {
            var filter = new Dictionary<string, object>
            {
                ["fromBlock"] = "0x" + from.ToString("x"), ["toBlock"] = "0x" + Math.Min(head, from + 4_999).ToString("x"),
                ["address"] = Predeploys.L2ToL1MessagePasser.ToString(), ["topics"] = new object[] { MessagePassedTopic.ToString() },
            };
            foreach (var log in (JArray?)await RpcAsync(L2, "eth_getLogs", filter).ConfigureAwait(false) ?? [])
                total += (UInt256)AbiDecoder.Decode(AbiType.Parse("(uint256,uint256,bytes,bytes32)").Components, Hex.Decode(log["data"]!.Value<string>()!))[0]!;
        }
        return total;
    }
}
