using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;
using OpenLedger.Primitives.Abi;
using OpenLedger.Rollup.Batcher;

namespace OpenLedger.Rollup.Outputs;

/// <summary>One proposal as L2OutputOracle stores it (OP's OutputProposal).</summary>
public sealed record OutputProposal(ulong Index, Hash256 OutputRoot, ulong Timestamp, ulong L2BlockNumber);

/// <summary>One challenge as L2OutputOracle stores it; <see cref="Status"/>: 1 open, 2 challenger won, 3 proposer won, 4 moot.</summary>
public sealed record OutputChallenge(ulong Id, Address Challenger, byte Status, ulong Deadline, ulong OutputIndex, Hash256 OutputRoot, Hash256 ClaimedRoot, UInt256 Bond)
{
    public const byte Open = 1;
}

/// <summary>
/// Reads and writes our L2OutputOracle on L1 through Nethereum's JSON-RPC client (eth_call for views, the
/// <see cref="L1TxSender"/> for transactions). The ABI is OP's read/propose interface plus the challenge functions.
/// </summary>
public sealed class OutputOracleClient(IClient l1, Address oracle, L1TxSender? sender = null)
{
    private static readonly AbiFunction NextBlockNumber = AbiFunction.FromSignature("nextBlockNumber()", "(uint256)");
    private static readonly AbiFunction NextOutputIndex = AbiFunction.FromSignature("nextOutputIndex()", "(uint256)");
    private static readonly AbiFunction GetL2Output = AbiFunction.FromSignature("getL2Output(uint256)", "(bytes32,uint128,uint128)");
    private static readonly AbiFunction FinalizationPeriod = AbiFunction.FromSignature("FINALIZATION_PERIOD_SECONDS()", "(uint256)");
    private static readonly AbiFunction ComputeL2Timestamp = AbiFunction.FromSignature("computeL2Timestamp(uint256)", "(uint256)");
    private static readonly AbiFunction ChallengeBond = AbiFunction.FromSignature("challengeBond()", "(uint256)");
    private static readonly AbiFunction Token = AbiFunction.FromSignature("token()", "(address)");
    private static readonly AbiFunction ChallengeCount = AbiFunction.FromSignature("challengeCount()", "(uint256)");
    private static readonly AbiFunction Challenges = AbiFunction.FromSignature("challenges(uint256)", "(address,uint8,uint64,uint256,bytes32,uint128,bytes32,uint256)");
    private static readonly AbiFunction Propose = AbiFunction.FromSignature("proposeL2Output(bytes32,uint256,bytes32,uint256)");
    private static readonly AbiFunction Challenge = AbiFunction.FromSignature("challenge(uint256,bytes32)");
    private static readonly AbiFunction ResolveExpired = AbiFunction.FromSignature("resolveExpired(uint256)");
    private static readonly AbiFunction Allowance = AbiFunction.FromSignature("allowance(address,address)", "(uint256)");
    private static readonly AbiFunction Approve = AbiFunction.FromSignature("approve(address,uint256)");

    private int _id;

    public Address Address => oracle;

    private L1TxSender Sender => sender ?? throw new InvalidOperationException("this oracle client has no key to send transactions with");

    internal async Task<JToken?> RpcAsync(string method, params object[] args) =>
        await l1.SendRequestAsync<JToken?>(new RpcRequest(Interlocked.Increment(ref _id), method, args)).ConfigureAwait(false);

    private async Task<object?[]> CallAsync(Address to, AbiFunction f, params object?[] args)
    {
        var call = new Dictionary<string, object> { ["to"] = to.ToString(), ["data"] = Hex.Encode(f.EncodeCall(args)) };
        var result = await RpcAsync("eth_call", call, "latest").ConfigureAwait(false);
        var hex = result?.Value<string>() ?? throw new FormatException($"L1 eth_call {f.Name} returned no data");
        return f.DecodeOutput(Hex.Decode(hex));
    }

    private static ulong U64(object? v) => v is UInt256 u && u <= new UInt256(ulong.MaxValue) ? (ulong)u : throw new FormatException($"oracle returned {v}, expected a 64-bit number");

    public async Task<ulong> NextBlockNumberAsync() => U64((await CallAsync(oracle, NextBlockNumber).ConfigureAwait(false))[0]);
    public async Task<ulong> NextOutputIndexAsync() => U64((await CallAsync(oracle, NextOutputIndex).ConfigureAwait(false))[0]);
    public async Task<ulong> FinalizationPeriodAsync() => U64((await CallAsync(oracle, FinalizationPeriod).ConfigureAwait(false))[0]);
    public async Task<ulong> L2TimestampAsync(ulong l2Block) => U64((await CallAsync(oracle, ComputeL2Timestamp, l2Block).ConfigureAwait(false))[0]);
    public async Task<UInt256> ChallengeBondAsync() => (UInt256)(await CallAsync(oracle, ChallengeBond).ConfigureAwait(false))[0]!;
    public async Task<ulong> ChallengeCountAsync() => U64((await CallAsync(oracle, ChallengeCount).ConfigureAwait(false))[0]);

    public async Task<OutputProposal> GetOutputAsync(ulong index)
    {
        var r = await CallAsync(oracle, GetL2Output, index).ConfigureAwait(false);
        return new OutputProposal(index, new Hash256((byte[])r[0]!), U64(r[1]), U64(r[2]));
    }

    public async Task<OutputChallenge> GetChallengeAsync(ulong id)
    {
        var r = await CallAsync(oracle, Challenges, id).ConfigureAwait(false);
        return new OutputChallenge(id, (Address)r[0]!, (byte)U64(r[1]), U64(r[2]), U64(r[3]), new Hash256((byte[])r[4]!), new Hash256((byte[])r[6]!), (UInt256)r[7]!);
    }

    /// <summary>The latest L1 block's number, hash and timestamp.</summary>
    public async Task<(ulong Number, Hash256 Hash, ulong Timestamp)> L1HeadAsync()
    {
        var b = await RpcAsync("eth_getBlockByNumber", "latest", false).ConfigureAwait(false) ?? throw new FormatException("L1 has no latest block");
        return (Quantity(b["number"]), Hash256.Parse(b["hash"]!.Value<string>()!), Quantity(b["timestamp"]));
    }

    internal static ulong Quantity(JToken? t) =>
        t?.Value<string>() is { } s && s.StartsWith("0x", StringComparison.Ordinal) ? Convert.ToUInt64(s[2..], 16) : throw new FormatException($"not a hex quantity: {t}");

    /// <summary>proposeL2Output pinned to the given L1 block (void on another L1 fork); returns the L1 block it was mined in.</summary>
    public Task<ulong> ProposeAsync(Hash256 root, ulong l2Block, Hash256 l1Hash, ulong l1Number, CancellationToken ct) =>
        Sender.SendAsync(oracle, Propose.EncodeCall(root.ToArray(), l2Block, l1Hash.ToArray(), l1Number), ct);

    /// <summary>Approves the bond (when the allowance is short) and challenges output <paramref name="index"/> with the root the caller claims.</summary>
    public async Task<ulong> ChallengeAsync(ulong index, Hash256 claimedRoot, CancellationToken ct)
    {
        var bond = await ChallengeBondAsync().ConfigureAwait(false);
        var token = (Address)(await CallAsync(oracle, Token).ConfigureAwait(false))[0]!;
        var allowance = (UInt256)(await CallAsync(token, Allowance, Sender.From, oracle).ConfigureAwait(false))[0]!;
        if (allowance < bond) await Sender.SendAsync(token, Approve.EncodeCall(oracle, bond), ct).ConfigureAwait(false);
        return await Sender.SendAsync(oracle, Challenge.EncodeCall(index, claimedRoot.ToArray()), ct).ConfigureAwait(false);
    }

    public Task<ulong> ResolveExpiredAsync(ulong challengeId, CancellationToken ct) => Sender.SendAsync(oracle, ResolveExpired.EncodeCall(challengeId), ct);
}
